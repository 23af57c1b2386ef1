import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMON, displayWidth, pad, prepareWidths, truncate } from './text-width.js';

beforeAll(() => prepareWidths(['🔥']));

describe('text width', () => {
  it('counts wide, emoji and zero-width characters as a terminal draws them', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('夜に駆ける')).toBe(10);
    expect(displayWidth('하늘빛')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🔥')).toBe(2);
    expect(displayWidth('👩‍👩‍👧')).toBe(2);
    expect(displayWidth('🇧🇷')).toBe(2);
    expect(displayWidth('a\u200bb')).toBe(2);
  });

  it('measures the scripts it reads directly exactly as string-width does', () => {
    // Every letter, digit, punctuation mark and space of the directly-measured scripts, in
    // random strings (seeded, so a failure repeats), next to emoji, marks and joiners.
    const pool: string[] = [];
    for (const [from, to] of [
      [0x20, 0x2ff],
      [0x370, 0x6ff],
      [0x10a0, 0x10ff],
      [0x1100, 0x11ff],
      [0x2000, 0x206f],
      [0x3000, 0x30ff],
      [0x3130, 0x318f],
      [0x4e00, 0x4fff],
      [0xac00, 0xadff],
      [0xd7b0, 0xd7ff],
      [0xff00, 0xffef],
      [0x20000, 0x200ff],
    ] as const) {
      for (let cp = from; cp <= to; cp++) pool.push(String.fromCodePoint(cp));
    }
    pool.push('🔥', '\u0301', '\u200d', '\ufe0f', '👩‍👩‍👧', '\u0e33', 'ก', 'गु');
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = () => pool[Math.floor(random() * pool.length)] ?? '';
    const mismatches: string[] = [];
    for (const char of pool) {
      if (displayWidth(char) !== stringWidth(char)) mismatches.push(char);
    }
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 6) }, pick).join('');
      if (displayWidth(text) !== stringWidth(text)) mismatches.push(text);
    }
    expect(mismatches.map((m) => [...m].map((c) => c.codePointAt(0)?.toString(16)))).toEqual([]);
  });

  it('measures every character of the cheap common ranges as string-width does', () => {
    const common: string[] = [];
    for (let cp = 0x20; cp <= 0xffff; cp++) {
      const char = String.fromCodePoint(cp);
      if (COMMON.test(char)) common.push(char);
    }
    expect(common.length).toBeGreaterThan(30_000);
    const mismatches = common.filter((char) => displayWidth(char) !== stringWidth(char));
    expect(mismatches.map((c) => c.codePointAt(0)?.toString(16))).toEqual([]);
    // Side by side, each stays a cluster of its own: widths add up.
    const text = common.join('');
    expect(displayWidth(text)).toBe(stringWidth(text));
  });

  it('measures a long line that ends in an emoji (no backtracking over the text)', () => {
    const line = `${'Aa 1, '.repeat(2_000)}🔥`;
    expect(displayWidth(line)).toBe(12_002);
    expect(truncate(line, 8)).toBe('Aa 1, A…');
  });

  it('truncates to a width with an ellipsis and pads to a width', () => {
    expect(truncate('夜に駆ける', 6)).toBe('夜に…');
    expect(truncate('하늘빛 노래', 5)).toBe('하늘…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('long enough', 5)).toBe('long…');
    const cut = truncate('Beyoncé 👩‍👩‍👧 and more', 10);
    expect(displayWidth(cut)).toBeLessThanOrEqual(10);
    expect(cut).toBe('Beyoncé …');
    expect(truncate('ab👩‍👩‍👧cd', 5)).toBe('ab👩‍👩‍👧…');
    expect(truncate('e\u0301e\u0301e\u0301e\u0301', 3)).toBe('e\u0301e\u0301…');
    expect(pad('夜', 4)).toBe('夜  ');
    expect(pad('7', 3, 'right')).toBe('  7');
  });
});
