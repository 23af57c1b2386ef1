import { describe, expect, it } from 'vitest';
import { csvField } from './chart-export.js';

describe('csvField', () => {
  it('quotes what RFC 4180 needs quoted, doubling quotes, and leaves the rest alone', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    expect(csvField(1_234_567)).toBe('1234567');
    expect(csvField('Blue Motion')).toBe('Blue Motion');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField('Kai Ridge, Elio')).toBe('"Kai Ridge, Elio"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('Sigur Rós 周杰倫')).toBe('Sigur Rós 周杰倫');
  });

  it('neutralises text a spreadsheet would run as a formula, line breaks or not', () => {
    expect(csvField('=Love')).toBe("'=Love");
    expect(csvField('-3')).toBe("'-3");
    expect(csvField('+44')).toBe("'+44");
    expect(csvField('@handle')).toBe("'@handle");
    expect(csvField('\tTab')).toBe("'\tTab");
    expect(csvField('=1+2\nmore')).toBe(`"'=1+2\nmore"`);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('a-b=c')).toBe('a-b=c');
  });
});
