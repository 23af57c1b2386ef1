import { describe, expect, it } from 'vitest';
import { MAX_PAGED_ITEMS, nextPageUrl, PageGuard } from './paging.js';

const BASE = 'http://127.0.0.1:4567/v1/playlists/abc/items';

describe('nextPageUrl', () => {
  it('rebuilds a foreign-host next link on our endpoint, keeping offset, limit and market', () => {
    const next =
      'https://api.spotify.com/v1/playlists/abc/items?offset=50&limit=50&market=DE&evil=1';
    expect(nextPageUrl(next, BASE)).toBe(`${BASE}?offset=50&limit=50&market=DE`);
  });

  it('reads a relative next link against our endpoint', () => {
    expect(nextPageUrl('?offset=100&limit=50', BASE)).toBe(`${BASE}?offset=100&limit=50`);
  });

  it('returns null at the last page', () => {
    expect(nextPageUrl(null, BASE)).toBeNull();
  });
});

describe('PageGuard', () => {
  it('lets pagination with advancing offsets through', () => {
    const guard = new PageGuard('GET /x');
    for (const offset of [0, 50, 100]) {
      guard.check({ offset, limit: 50, total: 200 }, `${BASE}?offset=${offset + 50}`);
    }
    guard.check({ offset: 150, limit: 50, total: 200 }, null);
  });

  it('stops a next link that does not advance', () => {
    const guard = new PageGuard('GET /x');
    expect(() => guard.check({ offset: 50, limit: 50, total: 200 }, `${BASE}?offset=50`)).toThrow(
      /does not advance/,
    );
  });

  it('follows more pages than an understated total promises, and says so', () => {
    const guard = new PageGuard('GET /x');
    const items = Array.from({ length: 50 }, () => ({}));
    for (let offset = 0; offset < 450; offset += 50) {
      guard.check({ offset, limit: 50, total: 100, items }, `${BASE}?offset=${offset + 50}`);
    }
    guard.check({ offset: 450, limit: 50, total: 100, items: items.slice(0, 10) }, null);
    expect(guard.mismatch()).toBe(
      "GET /x: received 460 items but Spotify's total says 100; keeping what was received",
    );
  });

  it('says nothing when the items received match the total', () => {
    const guard = new PageGuard('GET /x');
    guard.check({ offset: 0, limit: 50, total: 2, items: [{}, {}] }, null);
    expect(guard.mismatch()).toBeNull();
  });

  it('stops after a generous fixed number of pages', () => {
    const guard = new PageGuard('GET /x');
    let offset = 0;
    const run = () => {
      for (let i = 0; i < 1_000; i++, offset += 50) {
        guard.check({ offset, limit: 50, total: 100 }, `${BASE}?offset=${offset + 50}`);
      }
    };
    expect(run).toThrow(/paging loops for GET \/x: more than 200 pages of up to 50 items/);
    expect(offset).toBe(MAX_PAGED_ITEMS - 50);
  });
});
