import { describe, expect, it } from 'vitest';
import { artistsOf, detached, Memo, trackIdOf, wholeNumber } from './fields.js';

describe('wholeNumber', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    ['6553151', 6553151],
    ['253019.0', 253019],
    ['253019.000', 253019],
    ['999999999999999', 999999999999999],
  ])('%s is %d', (text, value) => {
    expect(wholeNumber(text)).toBe(value);
  });

  it.each([
    '',
    '-1',
    '+1',
    ' 7',
    '7 ',
    '1.5',
    '1.',
    '.5',
    '1e3',
    '0x10',
    'two',
    '1,000',
    '1234567890123456',
  ])('%j is not a whole number', (text) => {
    expect(wholeNumber(text)).toBeNaN();
  });
});

describe('trackIdOf', () => {
  it('reads URIs and links of 22 base-62 characters', () => {
    expect(trackIdOf('spotify:track:2plbrEY59IikOBgBGLjaoe')).toBe('2plbrEY59IikOBgBGLjaoe');
    expect(trackIdOf('https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg')).toBe(
      '6mICuAdrwEjh6Y6lroV2Kg',
    );
    expect(trackIdOf('https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg?si=abc')).toBe(
      '6mICuAdrwEjh6Y6lroV2Kg',
    );
  });

  it.each([
    '',
    '2plbrEY59IikOBgBGLjaoe',
    'spotify:track:2plbrEY59IikOBgBGLjao',
    'spotify:track:2plbrEY59IikOBgBGLjaoee',
    'spotify:track:2plbrEY59IikOBgBGLja-e',
    'spotify:album:2plbrEY59IikOBgBGLjaoe',
    'spotify:episode:2plbrEY59IikOBgBGLjaoe',
    'http://example.com/track/6mICuAdrwEjh6Y6lroV2Kg',
    'https://open.spotify.com/album/6mICuAdrwEjh6Y6lroV2Kg',
    'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg/',
  ])('%j is not a track', (text) => {
    expect(trackIdOf(text)).toBeNull();
  });
});

describe('artistsOf', () => {
  it('splits on ", " and has no ids', () => {
    expect(artistsOf('Clean Bandit, Sean Paul, Anne-Marie')).toEqual([
      { id: null, name: 'Clean Bandit' },
      { id: null, name: 'Sean Paul' },
      { id: null, name: 'Anne-Marie' },
    ]);
    // Not on a comma alone.
    expect(artistsOf('Earth,Wind & Fire')).toEqual([{ id: null, name: 'Earth,Wind & Fire' }]);
    expect(artistsOf('')).toEqual([]);
  });
});

describe('Memo', () => {
  it('reads each text once, keeps what is used and forgets what is not, holding at most its limit', () => {
    const read: string[] = [];
    const memo = new Memo(
      (text) => {
        read.push(text);
        return text.length;
      },
      { limit: 4 },
    );
    expect([memo.get('a'), memo.get('bb'), memo.get('a'), memo.get('bb')]).toEqual([1, 2, 1, 2]);
    expect(read).toEqual(['a', 'bb']);
    // The recent half is full: 'a' and 'bb' become the older half, and 'a' is kept in use.
    expect([memo.get('ccc'), memo.get('a')]).toEqual([3, 1]);
    expect(read).toEqual(['a', 'bb', 'ccc']);
    // Full again: 'bb', not used since, is forgotten; 'a' and 'ccc' are still known.
    expect([memo.get('dddd'), memo.get('a'), memo.get('ccc'), memo.get('bb')]).toEqual([
      4, 1, 3, 2,
    ]);
    expect(read).toEqual(['a', 'bb', 'ccc', 'dddd', 'bb']);
  });
});

describe('detached', () => {
  it('is the same text', () => {
    const piece = `${'x'.repeat(1000)}https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg,ROSÉ`;
    expect(detached(piece.slice(1000))).toBe(
      'https://open.spotify.com/track/6mICuAdrwEjh6Y6lroV2Kg,ROSÉ',
    );
    expect(detached('')).toBe('');
  });
});
