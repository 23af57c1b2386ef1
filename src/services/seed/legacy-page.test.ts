import { describe, expect, it } from 'vitest';
import { parseLegacyTime, readLegacyPage } from './legacy-page.js';

describe('parseLegacyTime', () => {
  it('reads the DAG’s str(datetime) as UTC, ISO 8601 with its offset, and BSON dates', () => {
    const iso = (value: unknown) => parseLegacyTime(value)?.toISOString() ?? null;
    expect(iso('2024-11-20 10:15:03.123456')).toBe('2024-11-20T10:15:03.123Z');
    expect(iso('2024-11-20 10:15:03')).toBe('2024-11-20T10:15:03.000Z');
    expect(iso('2024-11-20T10:15')).toBe('2024-11-20T10:15:00.000Z');
    expect(iso('2024-11-20T10:15:03.5+01:00')).toBe('2024-11-20T09:15:03.500Z');
    expect(iso('2024-11-20T23:15:03.123456-0500')).toBe('2024-11-21T04:15:03.123Z');
    expect(iso('2024-11-20T10:15:03Z')).toBe('2024-11-20T10:15:03.000Z');
    expect(iso(new Date('2024-11-20T10:15:03.123Z'))).toBe('2024-11-20T10:15:03.123Z');
    for (const bad of ['yesterday', '2024-13-45 10:00:00', '', null, 1732097703, undefined]) {
      expect(iso(bad), String(bad)).toBeNull();
    }
  });
});

describe('readLegacyPage', () => {
  const page = {
    href: 'https://api.spotify.com/v1/playlists/5FN6Ego7eLX6zHuCMovIR2/tracks?offset=0&limit=100',
    items: [],
    limit: 100,
    next: null,
    offset: 0,
    previous: null,
    total: 0,
  };
  const inserted = new Date('2024-11-20T10:15:04.000Z');

  it('takes the playlist from href and the time from datetime, keeping the page as it was', () => {
    const read = readLegacyPage({ ...page, datetime: '2024-11-20 10:15:03.1' }, inserted, 'other');
    expect(read).toStrictEqual({
      playlistId: '5FN6Ego7eLX6zHuCMovIR2',
      capturedAt: new Date('2024-11-20T10:15:03.100Z'),
      page,
    });
  });

  it('falls back to --playlist and to the ObjectId time, and says why it cannot read a document', () => {
    const { href: _, ...noHref } = page;
    expect(readLegacyPage({ ...noHref }, inserted, 'Fallback1234567890abcd')).toMatchObject({
      playlistId: 'Fallback1234567890abcd',
      capturedAt: inserted,
    });
    expect(readLegacyPage({ ...noHref, datetime: 'x' }, inserted, undefined)).toStrictEqual({
      skip: 'no-playlist',
    });
    expect(
      readLegacyPage({ ...page, href: 'https://example.com/x' }, inserted, undefined),
    ).toStrictEqual({ skip: 'no-playlist' });
    expect(readLegacyPage({ ...page, datetime: 'soon' }, null, undefined)).toStrictEqual({
      skip: 'no-datetime',
    });
    expect(readLegacyPage({ error: { status: 401 } }, inserted, 'x')).toStrictEqual({
      skip: 'not-a-page',
    });
  });
});
