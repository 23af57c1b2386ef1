import { describe, expect, it } from 'vitest';
import { displayWidth, pad, truncate } from './text-width.js';

describe('text width', () => {
  it('counts wide and zero-width characters as a terminal draws them', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('夜に駆ける')).toBe(10);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🔥')).toBe(2);
  });

  it('truncates to a width with an ellipsis and pads to a width', () => {
    expect(truncate('夜に駆ける', 6)).toBe('夜に…');
    expect(truncate('short', 10)).toBe('short');
    expect(pad('夜', 4)).toBe('夜  ');
    expect(pad('7', 3, 'right')).toBe('  7');
  });
});
