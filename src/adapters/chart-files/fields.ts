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
    // Only `.0`, `.00`…: a fraction is not a count, and `1.` is not how a count is written.
    if (text.charCodeAt(i) !== 46 /* . */ || i + 1 === length) return Number.NaN;
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

/**
 * A bounded memo of a field's reading. Chart files repeat the same tracks and artists on every
 * chart of every day, so the dataset's 26 million rows hold a few hundred thousand distinct
 * values: reading each once, and sharing the result, saves most of the garbage collector's work.
 */
export class Memo<T> {
  private known = new Map<string, T>();
  private older = new Map<string, T>();
  // With `runs`, for values that come in runs (a chart's region and date): the last text is
  // compared first, which costs less than a look-up. Track links all start alike, so never them.
  private lastText: string | null = null;
  private lastValue: T | undefined;

  constructor(
    private readonly read: (text: string) => T,
    /** `limit`: values held at most, 2 or more (50,000 by default). */
    private readonly options: { limit?: number; runs?: boolean } = {},
  ) {}

  get(text: string): T {
    if (this.options.runs && text === this.lastText) return this.lastValue as T;
    let value = this.known.get(text);
    if (value === undefined) value = this.miss(text);
    if (this.options.runs) {
      this.lastText = text;
      this.lastValue = value;
    }
    return value;
  }

  /**
   * A value not among the recent ones: taken from the older ones if there, else read. Bounded in
   * two halves: once the recent half is full it becomes the older one and the oldest go. A clear
   * of everything instead would read the whole working set again (a day of the dataset's charts
   * meets some 10,000 tracks) each time the memo fills.
   */
  private miss(text: string): T {
    let value = this.older.get(text);
    // Kept for the whole file, so kept as a copy: a field is a slice of a piece of the file
    // that it would keep in memory with it.
    const key = detached(text);
    if (value === undefined) value = this.read(key);
    if (this.known.size >= Math.max(1, Math.floor((this.options.limit ?? 50_000) / 2))) {
      this.older = this.known;
      this.known = new Map();
    }
    this.known.set(key, value);
    return value;
  }
}

/** A copy of a string that shares no memory with the (much longer) string it was cut from. */
export function detached(text: string): string {
  // Joining makes V8 copy the text into a new string of its own; slicing that new string keeps
  // only it. Four times cheaper than a round trip through a Buffer.
  return ` ${text}`.slice(1);
}

/** A track as entries carry it, with the artists of its last row (see artistsOfRow). */
export interface TrackRef {
  trackId: string;
  uri: string;
  lastArtistsField: string | null;
  artists: Artist[];
}

export function trackRefOf(text: string): TrackRef | null {
  const id = trackIdOf(text);
  if (id === null) return null;
  // A copy: the id cut from the link would keep the whole link alive as long as the import
  // keeps the id (its derivation keeps every track's), long after the memo forgot the link.
  const trackId = detached(id);
  return { trackId, uri: `${URI_PREFIX}${trackId}`, lastArtistsField: null, artists: [] };
}

/**
 * The artists of a row of `track`: a track's rows almost always name the same artists, so the
 * text is compared with its last row's before it is looked up (a look-up hashes the text).
 */
export function artistsOfRow(track: TrackRef, text: string, artists: Memo<Artist[]>): Artist[] {
  if (text === track.lastArtistsField) return track.artists;
  track.artists = artists.get(text);
  track.lastArtistsField = detached(text);
  return track.artists;
}

/** Artists lists shared by every entry of the same artists, so frozen: nobody may change one. */
export function sharedArtistsOf(text: string): Artist[] {
  const artists = artistsOf(text);
  for (const artist of artists) Object.freeze(artist);
  return Object.freeze(artists) as Artist[];
}
