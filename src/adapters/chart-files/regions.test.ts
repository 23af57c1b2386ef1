import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileChartId, parseFileChartId } from '../../domain/chart-file.js';
import { loadRegionCodes, type RegionCodes } from './regions.js';
import { readAll, scratch } from './test-files.js';

/** Every region of the 2017–2021 dataset, with its code. */
const DATASET_REGIONS: Record<string, string> = {
  Argentina: 'ar',
  Australia: 'au',
  Austria: 'at',
  Belgium: 'be',
  Bolivia: 'bo',
  Brazil: 'br',
  Bulgaria: 'bg',
  Canada: 'ca',
  Chile: 'cl',
  Colombia: 'co',
  'Costa Rica': 'cr',
  'Czech Republic': 'cz',
  Denmark: 'dk',
  'Dominican Republic': 'do',
  Ecuador: 'ec',
  Egypt: 'eg',
  'El Salvador': 'sv',
  Estonia: 'ee',
  Finland: 'fi',
  France: 'fr',
  Germany: 'de',
  Global: 'global',
  Greece: 'gr',
  Guatemala: 'gt',
  Honduras: 'hn',
  'Hong Kong': 'hk',
  Hungary: 'hu',
  Iceland: 'is',
  India: 'in',
  Indonesia: 'id',
  Ireland: 'ie',
  Israel: 'il',
  Italy: 'it',
  Japan: 'jp',
  Latvia: 'lv',
  Lithuania: 'lt',
  Luxembourg: 'lu',
  Malaysia: 'my',
  Mexico: 'mx',
  Morocco: 'ma',
  Netherlands: 'nl',
  'New Zealand': 'nz',
  Nicaragua: 'ni',
  Norway: 'no',
  Panama: 'pa',
  Paraguay: 'py',
  Peru: 'pe',
  Philippines: 'ph',
  Poland: 'pl',
  Portugal: 'pt',
  Romania: 'ro',
  Russia: 'ru',
  'Saudi Arabia': 'sa',
  Singapore: 'sg',
  Slovakia: 'sk',
  'South Africa': 'za',
  'South Korea': 'kr',
  Spain: 'es',
  Sweden: 'se',
  Switzerland: 'ch',
  Taiwan: 'tw',
  Thailand: 'th',
  Turkey: 'tr',
  Ukraine: 'ua',
  'United Arab Emirates': 'ae',
  'United Kingdom': 'gb',
  'United States': 'us',
  Uruguay: 'uy',
  Vietnam: 'vn',
  Andorra: 'ad',
};

describe('loadRegionCodes', () => {
  let regionCodes: RegionCodes;
  beforeAll(async () => {
    regionCodes = await loadRegionCodes();
  });

  it.each(Object.entries(DATASET_REGIONS))('%s is %s', (name, code) => {
    expect(regionCodes(name)).toBe(code);
    // Every code makes a chart id the rest of chartkeeper accepts.
    expect(
      parseFileChartId(fileChartId({ type: 'regional', region: code, period: 'daily' })),
    ).not.toBeNull();
  });

  it('knows no made-up region, and only English names', () => {
    expect(regionCodes('Atlantis')).toBeNull();
    expect(regionCodes('Deutschland')).toBeNull();
    expect(regionCodes('')).toBeNull();
    expect(regionCodes('constructor')).toBeNull();
  });
});

describe('dataset rows of every region', () => {
  const files = scratch();
  afterAll(() => files.remove());

  it('map to a chart of that region', async () => {
    const url = 'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg';
    const names = Object.keys(DATASET_REGIONS);
    const lines = names.map(
      (name) => `Song,1,2020-06-01,Artist,${url},${name},viral50,SAME_POSITION,`,
    );
    const path = files.write(
      'regions.csv',
      ['title,rank,date,artist,url,region,chart,trend,streams', ...lines].join('\n'),
    );
    const read = await readAll(path);
    expect(read.rejected).toEqual([]);
    expect(read.rows.map((row) => row.chartId)).toEqual(
      names.map((name) => `viral-${DATASET_REGIONS[name]}-daily`),
    );
  });
});
