import { describe, expect, it } from 'vitest';
import { nextPageUrl, PageGuard } from './paging.js';

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

  it('stops more pages than total and limit allow', () => {
    const guard = new PageGuard('GET /x');
    let offset = 0;
    const run = () => {
      for (let i = 0; i < 10; i++, offset += 50) {
        guard.check({ offset, limit: 50, total: 100 }, `${BASE}?offset=${offset + 50}`);
      }
    };
    expect(run).toThrow(/more than 3 pages/);
    expect(offset).toBe(100);
  });
});
