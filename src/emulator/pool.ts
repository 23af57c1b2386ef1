import { base62Id, hexDigest, seededRandom } from './hash.js';

export interface PoolArtist {
  id: string;
  name: string;
}

export interface PoolAlbum {
  id: string;
  name: string;
  albumType: 'single' | 'album';
  releaseDate: string;
  precision: 'day' | 'year';
  /** Hex key of the cover; the emulator serves it under /images so demos show real pictures. */
  imageKey: string;
  artists: PoolArtist[];
  totalTracks: number;
}

export interface PoolTrack {
  id: string;
  name: string;
  artists: PoolArtist[];
  album: PoolAlbum;
  durationMs: number;
  explicit: boolean;
  isrc: string;
  trackNumber: number;
  /** How strongly the track tends to chart; the daily drift moves it around this level. */
  appeal: number;
}

// Space-separated so the lists stay compact.
const words = (list: string) => list.split(' ');

const ADJECTIVES = words(
  'Golden Midnight Electric Neon Silent Paper Velvet Broken Summer Wild Crystal Hollow Lucky Lonely Sugar Cherry Purple Frozen Secret Falling Burning Dancing Empty Little Blue Runaway Slow Faded Sweet Restless Heavy Bright',
);
const NOUNS = words(
  'Hearts Skyline Rain Fever Echoes Lights Road Dreams Waves Signal Roses Thunder Gravity Satellite Mirror Horizon Paradise Letters Shadows Motion Fire Stars Weekend Memories Highway Ocean Lullaby Static Chemistry Daylight Heartbeat Silence',
);
const FIRST_NAMES = words(
  'Nova Milo Aria Kai Juno Rex Ivy Leo Mara Otis Sade Remy Tova Ezra Lila Cruz Noor Bodhi Elio Wren',
);
const LAST_NAMES = words(
  'Vale Ridge Sterling Moreau Okafor Lindqvist Haddad Tanaka Kowalski Reyes Achebe Nakamura Castell Brandt Oyelaran Duarte',
);
const BANDS = [
  'Static Orchard',
  'Glass Parade',
  'Low Tide Club',
  'Velvet Satellites',
  'Neon Harbor',
  'The Midnight Ferns',
  'Paper Comets',
  'Hollow Kings',
];
const UNICODE_ARTISTS = [
  'Zoë Márquez',
  'Sólveig Ørn',
  'ヨルノ',
  '하늘빛',
  'نور',
  'DJ Ñandú',
  'Mêlée',
];

/** Tracks whose names or artists exercise unicode handling; they chart often. */
const SPECIALS: { name: string; artists: string[] }[] = [
  { name: 'Café del Mar', artists: ['Zoë Márquez'] },
  { name: 'ÄÖÜ', artists: ['Mêlée', 'Sólveig Ørn'] },
  { name: '夜明けのメロディ', artists: ['ヨルノ'] },
  { name: '별빛 아래서', artists: ['하늘빛', 'Kai Tanaka'] },
  { name: 'ليلة القمر', artists: ['نور'] },
  { name: 'Fire 🔥 Dance', artists: ['DJ Ñandú', 'Nova Reyes', 'Static Orchard'] },
  { name: 'Ça ira, mon cœur', artists: ['Mêlée'] },
  { name: 'Señorita Lluvia', artists: ['DJ Ñandú', 'Aria Duarte'] },
];

/** Size of the pool: enough for a Top 200 with tracks coming and going. */
export const POOL_SIZE = 320;

/** An artist reference with its deterministic id. */
export function artist(name: string): PoolArtist {
  return { id: base62Id(`artist:${name}`), name };
}

/** A track with deterministic ids, for the pool and for hand-made playlist entries. */
export function makeTrack(
  key: string,
  fields: Omit<PoolTrack, 'id' | 'album' | 'isrc'> & {
    album?: Partial<Omit<PoolAlbum, 'id' | 'imageKey'>>;
  },
  serial: number,
): PoolTrack {
  const album = {
    name: fields.name,
    albumType: 'single' as const,
    releaseDate: '2026-01-09',
    precision: 'day' as const,
    artists: fields.artists,
    totalTracks: 1,
    ...fields.album,
  };
  const year = album.releaseDate.slice(2, 4);
  return {
    ...fields,
    id: base62Id(`track:${key}`),
    album: { ...album, id: base62Id(`album:${key}`), imageKey: hexDigest(`cover:${key}`, 40) },
    isrc: `QZCKE${year}${String(serial).padStart(5, '0')}`,
  };
}

function buildPool(): PoolTrack[] {
  const random = seededRandom(20_260_211);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const people = FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`));
  const artists = [...UNICODE_ARTISTS, ...BANDS, ...people.filter(() => random() < 0.2)];
  const names = new Set<string>(SPECIALS.map((special) => special.name));
  const tracks: PoolTrack[] = [];

  const add = (name: string, artistNames: string[]) => {
    const serial = tracks.length + 1;
    const isAlbum = random() < 0.35;
    const totalTracks = isAlbum ? 8 + Math.floor(random() * 10) : 1;
    const yearOnly = random() < 0.04;
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 1400) * 86_400_000);
    const releaseDate = day.toISOString().slice(0, 10);
    tracks.push(
      makeTrack(
        `pool-${serial}`,
        {
          name,
          artists: artistNames.map(artist),
          durationMs: 120_000 + Math.floor(random() * 140_000),
          explicit: random() < 0.3,
          trackNumber: isAlbum ? 1 + Math.floor(random() * totalTracks) : 1,
          // Specials sit high so unicode shows up on most days' charts.
          appeal: serial <= SPECIALS.length ? 0.85 - serial * 0.05 : 1 - (2.4 * serial) / POOL_SIZE,
          album: {
            name: isAlbum ? `${pick(ADJECTIVES)} ${pick(NOUNS)}` : name,
            albumType: isAlbum ? 'album' : 'single',
            releaseDate: yearOnly ? releaseDate.slice(0, 4) : releaseDate,
            precision: yearOnly ? 'year' : 'day',
            artists: artistNames.slice(0, 1).map(artist),
            totalTracks,
          },
        },
        serial,
      ),
    );
  };

  for (const special of SPECIALS) add(special.name, special.artists);
  while (tracks.length < POOL_SIZE) {
    let name = `${pick(ADJECTIVES)} ${pick(NOUNS)}`;
    const variant = random();
    if (variant < 0.05) name += ' - Sped Up';
    else if (variant < 0.1) name += ' (Remix)';
    if (names.has(name)) continue;
    names.add(name);
    const count = random() < 0.2 ? (random() < 0.3 ? 3 : 2) : 1;
    const credited = new Set<string>();
    while (credited.size < count) credited.add(pick(artists));
    add(name, [...credited]);
  }
  return tracks;
}

/** The invented tracks every chart is drawn from, in a fixed order. */
export const TRACK_POOL: readonly PoolTrack[] = buildPool();
