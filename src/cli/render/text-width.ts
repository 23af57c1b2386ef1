import { eastAsianWidth } from 'get-east-asian-width';

// How many terminal columns text takes. string-width is the reference (emoji sequences, combining
// marks, joiners, Hangul jamo), but loading it costs ~20 ms (its emoji expression and
// Intl.Segmenter), more than the rest of `chartkeeper chart`. So it is loaded only for text that
// needs it. Text of letters from the scripts below, digits, punctuation and spaces is measured
// directly: each of those characters is a grapheme cluster of its own and never an emoji, so its
// width is its East Asian Width, which is exactly what string-width computes for it
// (text-width.test.ts compares both over these scripts).

/** Printable ASCII, Latin-1 (no soft hyphen) and the symbols tables use: one column each. */
const PLAIN = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u2013\u2014\u2026\u25b2\u25bc]*$/;

/**
 * Characters that are one grapheme cluster each, never emoji: width = East Asian Width. The three
 * alternatives match disjoint characters (general categories differ, and the first excludes what
 * the others take), so testing a long text never backtracks.
 */
const SIMPLE =
  /^(?:[\x20-\x7e\u00a0-\u00ac\u00ae-\u00ff\u25b2\u25bc]|(?![\x20-\xff])[\p{N}\p{P}\p{Zs}]|(?![\x20-\xff\u1100-\u11ff\u3164\ua960-\ua97f\ud7b0-\ud7ff\uff9e-\uffa0])(?=\p{L})[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Armenian}\p{sc=Georgian}\p{sc=Hebrew}\p{sc=Arabic}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}])*$/u;

/**
 * The letters of SIMPLE that chart titles use most, as plain ranges: Latin Extended, Greek,
 * Cyrillic, Hebrew and Arabic letters (no marks), a few punctuation marks, kana, Han and Hangul
 * syllables. Every character here is in SIMPLE too (text-width.test.ts checks each one); it is
 * only cheaper to set up, as SIMPLE's script properties cost a command a millisecond to compile.
 */
export const COMMON =
  /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03ce\u0400-\u0482\u048a-\u04ff\u05d0-\u05ea\u0621-\u063a\u0641-\u064a\u0660-\u0669\u1e00-\u1eff\u2010-\u2027\u2032-\u203a\u25b2\u25bc\u3001-\u3003\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\uac00-\ud7a3]*$/;

/** Whether every character of `text` is a grapheme cluster of its own, measured directly. */
export function isSimple(text: string): boolean {
  return COMMON.test(text) || SIMPLE.test(text);
}

let stringWidth: ((text: string) => number) | null = null;

/** Loads string-width if any of `texts` needs it; call before measuring those texts. */
export async function prepareWidths(texts: Iterable<string>): Promise<void> {
  if (stringWidth) return;
  for (const text of texts) {
    if (PLAIN.test(text) || isSimple(text)) continue;
    stringWidth = (await import('string-width')).default;
    return;
  }
}

function charWidth(char: string): number {
  return eastAsianWidth(char.codePointAt(0) ?? 0, { ambiguousAsWide: false });
}

/** How many terminal columns a string takes (wide characters 2, combining marks 0). */
export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  if (isSimple(text)) {
    let width = 0;
    for (const char of text) width += charWidth(char);
    return width;
  }
  if (!stringWidth) throw new Error('prepareWidths() must see a text before it is measured');
  return stringWidth(text);
}

let graphemes: Intl.Segmenter | null = null;

/** The grapheme clusters of `text` (code points where each is a cluster of its own). */
function clusters(text: string): Iterable<string> {
  if (isSimple(text)) return text;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/**
 * Cuts a string to at most `max` columns, ending with … when cut. By hand over grapheme clusters:
 * cli-truncate lets a wide character before the ellipsis overflow by one column, and an emoji
 * sequence must never be cut in half.
 */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  if (PLAIN.test(text)) return `${text.slice(0, max - 1)}…`;
  let out = '';
  let width = 0;
  for (const cluster of clusters(text)) {
    const w = displayWidth(cluster);
    if (width + w > max - 1) break;
    out += cluster;
    width += w;
  }
  return `${out}…`;
}

/** Pads a string with spaces to `width` columns, on the right or (for numbers) on the left. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}
