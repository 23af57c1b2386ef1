import type { CatalogueEntry, PoolEpisode } from './entries.js';
import { base62Id, hexDigest } from './hash.js';
import { artist, makeTrack, TRACK_POOL } from './pool.js';

const EPISODE: PoolEpisode = {
  id: base62Id('episode:chart-talk-12'),
  name: 'Chart Talk #12 — Who Rules the Global Top 50?',
  description: 'Why the same songs stay on top for months, and what knocks them off.',
  durationMs: 1_843_000,
  releaseDate: '2026-05-04',
  show: { id: base62Id('show:chart-talk'), name: 'Chart Talk', publisher: 'chartkeeper' },
  imageKey: hexDigest('cover:chart-talk', 40),
};

// A comma inside one artist's name breaks anything that joins and re-splits artist lists.
const COMMA_ARTIST = makeTrack(
  'awkward-comma',
  {
    name: 'Commas, Quotes "and" Slashes / Backslashes \\',
    artists: [artist('Tyler, the Gardener'), artist('Zoë Márquez'), artist('하늘빛')],
    durationMs: 201_000,
    explicit: true,
    trackNumber: 3,
    appeal: 0,
    album: { name: 'Edge Cases, Vol. 1', albumType: 'album', totalTracks: 9, releaseDate: '2025' },
  },
  90_001,
);

function pooled(name: string) {
  const track = TRACK_POOL.find((candidate) => candidate.name === name);
  if (!track) throw new Error(`emulator pool lacks "${name}"`);
  return track;
}

/** The awkward playlist: every entry shape a client must survive, in a fixed order. */
export function awkwardEntries(): CatalogueEntry[] {
  const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T12:00:00Z`;
  const track = (name: string) => ({ kind: 'track', track: pooled(name), popularity: 61 }) as const;
  return [
    { addedAt: at(1), addedByOwner: true, content: track('Café del Mar'), keys: 'both' },
    // Removed from the catalogue: Spotify keeps the entry with a null track.
    { addedAt: at(2), addedByOwner: true, content: { kind: 'removed' }, keys: 'both' },
    {
      addedAt: at(3),
      addedByOwner: true,
      content: {
        kind: 'local',
        file: {
          name: 'My Demo (rough mix)',
          artist: 'Local Hero',
          album: 'Voice Memos',
          durationMs: 187_000,
        },
      },
      keys: 'both',
    },
    {
      addedAt: at(4),
      addedByOwner: true,
      content: { kind: 'episode', episode: EPISODE },
      keys: 'both',
    },
    { addedAt: at(5), addedByOwner: true, content: track('夜明けのメロディ'), keys: 'track' },
    { addedAt: at(6), addedByOwner: true, content: track('별빛 아래서'), keys: 'item' },
    // Very old playlists have entries with no date and no adder.
    { addedAt: null, addedByOwner: false, content: track('ليلة القمر'), keys: 'both' },
    { addedAt: at(8), addedByOwner: true, content: track('Fire 🔥 Dance'), keys: 'both' },
    { addedAt: at(9), addedByOwner: true, content: track('ÄÖÜ'), keys: 'both' },
    {
      addedAt: at(10),
      addedByOwner: true,
      content: { kind: 'track', track: COMMA_ARTIST, popularity: 12 },
      keys: 'both',
    },
    // The same track twice.
    { addedAt: at(11), addedByOwner: true, content: track('Café del Mar'), keys: 'both' },
    { addedAt: at(12), addedByOwner: true, content: track('Ça ira, mon cœur'), keys: 'both' },
  ];
}
