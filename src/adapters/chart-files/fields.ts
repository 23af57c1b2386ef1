import type { Artist } from '../../domain/chart.js';

// Hand-written scanners instead of regular expressions and Number(): these run for every field
// of files with tens of millions of rows, and must refuse `0x10`, `1e3` or ` 7` all the same.

/**
 * A whole number written in digits, also as the dataset writes counts (`253019.0`); NaN for
 * anything else (empty, signed, fractional, too large).
 */
export function wholeNumber(text: string): number {
  const length = text.length;
  let value = 0;
  let i = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  if (i === 0 || i > 15) return Number.NaN;
  if (i < length) {
    if (text.charCodeAt(i) !== 46 /* . */) return Number.NaN;
    for (i++; i < length; i++) if (text.charCodeAt(i) !== 48 /* 0 */) return Number.NaN;
  }
  return value;
}

const URI_PREFIX = 'spotify:track:';
const URL_PREFIX = 'https://open.spotify.com/track/';
const ID_LENGTH = 22;

/**
 * The track id of `spotify:track:ID` or `https://open.spotify.com/track/ID` (a query such as
 * `?si=…` allowed), where ID is 22 base-62 characters; null for anything else.
 */
export function trackIdOf(text: string): string | null {
  let start: number;
  if (text.startsWith(URI_PREFIX)) start = URI_PREFIX.length;
  else if (text.startsWith(URL_PREFIX)) start = URL_PREFIX.length;
  else return null;
  const end = start + ID_LENGTH;
  if (text.length !== end && !(text.length > end && text.charCodeAt(end) === 63) /* ? */) {
    return null;
  }
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const base62 = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!base62) return null;
  }
  return text.slice(start, end);
}

/**
 * The artists of a chart file's one artist column, split on ", " as the files join them. The files
 * carry no artist ids, so an artist whose name holds ", " ("Tyler, The Creator") is split in two:
 * the file cannot tell that name from two artists.
 */
export function artistsOf(text: string): Artist[] {
  if (text === '') return [];
  const names = text.split(', ');
  const artists = new Array<Artist>(names.length);
  for (let i = 0; i < names.length; i++) artists[i] = { id: null, name: names[i]! };
  return artists;
}

/** Whether a string is a calendar date YYYY-MM-DD; cheap to ask again for the same date. */
export class DateCheck {
  private readonly known = new Map<string, boolean>();

  isDate(text: string): boolean {
    let valid = this.known.get(text);
    if (valid === undefined) {
      valid = isCalendarDate(text);
      // The dataset has a few thousand dates; a file of garbage must not grow the map for ever.
      if (this.known.size > 10_000) this.known.clear();
      this.known.set(text, valid);
    }
    return valid;
  }
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
