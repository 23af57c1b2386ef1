import { describe, expect, it } from 'vitest';
import { ChartkeeperError } from '../../domain/errors.js';
import { normalisePlaylist } from './normalise.js';

function track(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Song ${id}`,
    uri: `spotify:track:${id}`,
    type: 'track',
    is_local: false,
    artists: [
      { id: `a-${id}`, name: 'Artist, With Comma', uri: `spotify:artist:a-${id}`, type: 'artist' },
    ],
    album: {
      id: `al-${id}`,
      name: 'Album',
      type: 'album',
      release_date: '2025-01-02',
      images: [
        { url: 'https://i.scdn.co/small', height: 64, width: 64 },
        { url: 'https://i.scdn.co/large', height: 640, width: 640 },
        { url: 'https://i.scdn.co/medium', height: 300, width: 300 },
      ],
    },
    duration_ms: 200_000,
    explicit: false,
    external_ids: { isrc: `ISRC${id}` },
    ...extra,
  };
}

function entry(content: Record<string, unknown>, addedAt: string | null = '2026-03-01T00:00:00Z') {
  return { added_at: addedAt, added_by: null, is_local: false, ...content };
}

function payload(pages: unknown[][]) {
  return {
    playlist: { id: 'p', name: 'Top 50 - Global', snapshot_id: 's1', extra_field: 1 },
    endpoint: 'items',
    pages: pages.map((items, index) => ({
      href: 'x',
      items,
      limit: 2,
      offset: index * 2,
      next: null,
      previous: null,
      total: 4,
    })),
  };
}

describe('normalisePlaylist', () => {
  it('numbers positions across pages and maps every field', () => {
    const chart = normalisePlaylist(
      payload([
        [entry({ item: track('t1') }), entry({ item: track('t2') })],
        [entry({ item: track('t3'), track: track('t3') }), entry({ track: track('t4') }, null)],
      ]),
    );
    expect(chart.title).toBe('Top 50 - Global');
    expect(chart.skipped).toEqual([]);
    expect(chart.entries.map((e) => [e.position, e.trackId])).toEqual([
      [1, 't1'],
      [2, 't2'],
      [3, 't3'],
      [4, 't4'],
    ]);
    expect(chart.entries[0]).toEqual({
      position: 1,
      trackId: 't1',
      uri: 'spotify:track:t1',
      name: 'Song t1',
      artists: [{ id: 'a-t1', name: 'Artist, With Comma' }],
      album: {
        id: 'al-t1',
        name: 'Album',
        releaseDate: '2025-01-02',
        imageUrl: 'https://i.scdn.co/large',
      },
      durationMs: 200_000,
      explicit: false,
      isrc: 'ISRCt1',
      addedAt: '2026-03-01T00:00:00Z',
      streams: null,
    });
    expect(chart.entries[3]?.addedAt).toBeNull();
  });

  it('prefers `item` over the legacy `track` when both are present', () => {
    const chart = normalisePlaylist(
      payload([[entry({ item: track('new'), track: track('old') })]]),
    );
    expect(chart.entries[0]?.trackId).toBe('new');
  });

  it('lists removed, local, episode and malformed items as skipped, keeping positions', () => {
    const chart = normalisePlaylist(
      payload([
        [
          entry({ item: null, track: null }),
          entry({ is_local: true, item: track('x', { id: null, is_local: true, name: 'Demo' }) }),
          entry({ item: { id: 'e1', name: 'Pod', type: 'episode', uri: 'spotify:episode:e1' } }),
          entry({ item: track('bad', { artists: 'nobody' }) }),
          'not an item',
          entry({}),
          entry({ item: track('ok') }),
        ],
      ]),
    );
    expect(chart.skipped).toEqual([
      { position: 1, reason: 'removed', name: null },
      { position: 2, reason: 'local-file', name: 'Demo' },
      { position: 3, reason: 'episode', name: 'Pod' },
      { position: 4, reason: 'malformed', name: 'Song bad' },
      { position: 5, reason: 'malformed', name: null },
      { position: 6, reason: 'malformed', name: null },
    ]);
    expect(chart.entries.map((e) => e.position)).toEqual([7]);
  });

  it('accepts tracks without the fields Spotify removed or may omit', () => {
    const bare = {
      id: 'b',
      name: 'Bare',
      uri: 'spotify:track:b',
      artists: [{ name: 'Someone' }],
    };
    const chart = normalisePlaylist(payload([[entry({ item: bare })]]));
    expect(chart.entries[0]).toMatchObject({
      trackId: 'b',
      artists: [{ id: null, name: 'Someone' }],
      album: null,
      durationMs: null,
      explicit: null,
      isrc: null,
    });
  });

  it('reads an entry whose `item` is null and that has no `track` key as removed', () => {
    const chart = normalisePlaylist(
      payload([
        [entry({ item: null }), entry({ track: null }), entry({ item: null, track: track('t') })],
      ]),
    );
    expect(chart.skipped).toEqual([
      { position: 1, reason: 'removed', name: null },
      { position: 2, reason: 'removed', name: null },
      { position: 3, reason: 'removed', name: null },
    ]);
    expect(chart.entries).toEqual([]);
  });

  it("places items by their page's offset, so a short page does not shift later ranks", () => {
    const chart = normalisePlaylist({
      playlist: { name: 'p' },
      endpoint: 'items',
      pages: [
        // Spotify left one item out of the first page; the second still starts at rank 3.
        { items: [entry({ item: track('t1') })], offset: 0, limit: 2 },
        { items: [entry({ item: null }), entry({ item: track('t4') })], offset: 2, limit: 2 },
      ],
    });
    expect(chart.entries.map((e) => [e.position, e.trackId])).toEqual([
      [1, 't1'],
      [4, 't4'],
    ]);
    expect(chart.skipped.map((s) => s.position)).toEqual([3]);
  });

  it('falls back to counting items when a page has no usable offset', () => {
    const chart = normalisePlaylist({
      playlist: { name: 'p' },
      endpoint: 'items',
      pages: [
        { items: [entry({ item: track('t1') }), entry({ item: track('t2') })] },
        { items: [entry({ item: track('t3') })], offset: -5 },
        { items: [entry({ item: track('t4') })], offset: '3' },
        { items: [entry({ item: track('t5') })], offset: 1.5 },
      ],
    });
    expect(chart.entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
  });

  it('recognises episodes by their URI and by the legacy `episode` flag', () => {
    const chart = normalisePlaylist(
      payload([
        [
          entry({ item: { id: 'e1', name: 'By URI', uri: 'spotify:episode:e1', artists: [] } }),
          entry({
            track: { ...track('e2'), name: 'Legacy', type: 'track', episode: true, track: false },
          }),
          entry({ item: track('t') }),
        ],
      ]),
    );
    expect(chart.skipped).toEqual([
      { position: 1, reason: 'episode', name: 'By URI' },
      { position: 2, reason: 'episode', name: 'Legacy' },
    ]);
    expect(chart.entries.map((e) => e.trackId)).toEqual(['t']);
  });

  it('keeps tracks whose optional fields are null, as recorded replies have them', () => {
    // No `popularity` or `available_markets` (removed in 2026), null wherever Spotify nulls.
    const quirky = track('q', {
      artists: [
        { id: 'a1', name: null, uri: 'spotify:artist:a1', type: 'artist' },
        null,
        { id: null, name: 'Second', type: 'artist' },
      ],
      album: { id: 'al', name: null, images: null, release_date: null },
      duration_ms: null,
      explicit: null,
      external_ids: null,
      external_urls: null,
      preview_url: null,
      linked_from: { id: 'orig', type: 'track', uri: 'spotify:track:orig' },
      restrictions: { reason: 'market' },
      is_playable: false,
      type: null,
    });
    const chart = normalisePlaylist(
      payload([
        [
          {
            added_at: null,
            added_by: null,
            is_local: null,
            primary_color: null,
            video_thumbnail: { url: null },
            item: quirky,
          },
          entry({
            item: track('i', {
              album: {
                id: 'al2',
                name: 'Imgs',
                images: [{ url: null }, null, { url: 'u', height: null, width: null }],
              },
            }),
          }),
          entry({ item: track('e', { album: { id: 'al3', name: 'Empty', images: [] } }) }),
          entry({ item: track('n', { album: null }) }),
        ],
      ]),
    );
    expect(chart.skipped).toEqual([]);
    expect(chart.entries[0]).toEqual({
      position: 1,
      trackId: 'q',
      uri: 'spotify:track:q',
      name: 'Song q',
      artists: [
        { id: 'a1', name: '' },
        { id: null, name: 'Second' },
      ],
      album: { id: 'al', name: '', releaseDate: null, imageUrl: null },
      durationMs: null,
      explicit: null,
      isrc: null,
      addedAt: null,
      streams: null,
    });
    expect(chart.entries.map((e) => e.album?.imageUrl ?? null)).toEqual([null, 'u', null, null]);
  });

  it('throws a permanent malformed-capture error when the top level is wrong', () => {
    for (const bad of [null, 'x', { playlist: { name: 'n' }, endpoint: 'items' }, { pages: [] }]) {
      let caught: unknown;
      try {
        normalisePlaylist(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ChartkeeperError);
      expect(caught).toMatchObject({ code: 'malformed-capture', permanent: true });
    }
  });
});
