import { SpotifyError } from './errors.js';

// Only these say which page comes next; anything else in `next` is not ours to forward.
const PAGE_PARAMS = ['offset', 'limit', 'market'] as const;

/**
 * The request for the page that `next` points at, rebuilt on our own endpoint URL: recorded or
 * proxied replies may name another host (https://api.spotify.com behind a proxy), and following
 * it would send the token where it was never meant to go. Returns null when `next` is null.
 */
export function nextPageUrl(next: string | null, endpointUrl: string): string | null {
  if (next === null) return null;
  let given: URL;
  try {
    // A relative `next` is read against our endpoint, like a browser would.
    given = new URL(next, endpointUrl);
  } catch {
    throw new SpotifyError(
      'spotify-malformed',
      `Spotify sent a next-page link that is not a URL: ${next}`,
      {
        hint: 'Spotify may have changed its paging; check for a newer chartkeeper version',
      },
    );
  }
  const url = new URL(endpointUrl);
  url.search = '';
  for (const name of PAGE_PARAMS) {
    const value = given.searchParams.get(name);
    if (value !== null) url.searchParams.set(name, value);
  }
  return url.toString();
}

/** No playlist needs more items than this; a generous bound, independent of what `total` says. */
export const MAX_PAGED_ITEMS = 10_000;

/**
 * Stops pagination that would never end: a next page whose offset does not move forward, or more
 * pages than MAX_PAGED_ITEMS items need (or twice `total`, if larger). `total` itself is not
 * trusted as a bound: Spotify understates it at times, and a playlist may grow while being read.
 */
export class PageGuard {
  private pages = 0;
  private items = 0;
  private maxPages: number | null = null;
  private total: number | null = null;

  constructor(private readonly label: string) {}

  /** Call with each page received; throws when following its `next` would loop. */
  check(
    page: { offset: number; limit: number; total: number; items?: readonly unknown[] },
    nextUrl: string | null,
  ): void {
    this.pages++;
    this.items += page.items?.length ?? 0;
    this.total = page.total;
    this.maxPages ??= Math.ceil(
      Math.max(MAX_PAGED_ITEMS, page.total * 2) / Math.max(1, page.limit),
    );
    if (nextUrl === null) return;
    const nextOffset = Number(new URL(nextUrl).searchParams.get('offset'));
    if (!Number.isFinite(nextOffset) || nextOffset <= page.offset) {
      throw loop(
        `${this.label}: the next page's offset (${nextOffset}) does not advance past ${page.offset}`,
      );
    }
    if (this.pages >= this.maxPages) {
      throw loop(`${this.label}: more than ${this.maxPages} pages of up to ${page.limit} items`);
    }
  }

  /**
   * After the last page: a warning when the items received differ from the last page's `total`,
   * or null when they match.
   */
  mismatch(): string | null {
    if (this.total === null || this.items === this.total) return null;
    return `${this.label}: received ${this.items} item${this.items === 1 ? '' : 's'} but Spotify's total says ${this.total}; keeping what was received`;
  }

  /** How many pages the first page's total and limit promise (for progress lines). */
  expected(page: { limit: number; total: number }): number {
    return Math.max(1, Math.ceil(page.total / Math.max(1, page.limit)));
  }
}

function loop(detail: string): SpotifyError {
  return new SpotifyError('spotify-malformed', `Spotify's paging loops for ${detail}`, {
    hint: "Probably a glitch on Spotify's side; the next capture tries again",
  });
}
