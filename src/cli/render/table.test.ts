import { describe, expect, it } from 'vitest';
import { displayWidthOf } from '../../test-support/display-width.js';
import { renderTable, terminalWidth } from './table.js';

describe('renderTable', () => {
  const rows = [
    {
      n: 1,
      title: 'A title that is far too long for a narrow terminal 夜に駆ける',
      who: 'Someone 🔥',
    },
    { n: 22, title: 'Short', who: 'Others\nwith a line break' },
  ];
  const columns = [
    { header: '#', value: (r: (typeof rows)[number]) => String(r.n), align: 'right' as const },
    { header: 'TITLE', value: (r: (typeof rows)[number]) => r.title, shrinks: true, max: 100 },
    { header: 'ARTISTS', value: (r: (typeof rows)[number]) => r.who, shrinks: true },
  ];

  it('fits every line, heading included, into the width by shrinking the text columns', async () => {
    for (const width of [40, 30, 24]) {
      const lines = (await renderTable(rows, columns, width)).split('\n');
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(displayWidthOf(line)).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^\s*#\s+TITLE\s+ARTISTS$/);
      expect(lines[1]).toContain('…');
    }
  });

  it('keeps whole values when there is room, and never breaks a line inside a value', async () => {
    const text = await renderTable(rows, columns, Number.POSITIVE_INFINITY);
    expect(text).toContain('夜に駆ける');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('cuts even a table of fixed columns at the edge of a very narrow terminal', async () => {
    for (const line of (await renderTable(rows, columns, 10)).split('\n')) {
      expect(displayWidthOf(line)).toBeLessThanOrEqual(10);
    }
  });

  it('takes COLUMNS, else the terminal, else no limit', () => {
    expect(terminalWidth({ COLUMNS: '72' }, { isTTY: true, columns: 120 })).toBe(72);
    expect(terminalWidth({}, { isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({ COLUMNS: 'wide' }, { isTTY: false })).toBe(Number.POSITIVE_INFINITY);
  });
});
