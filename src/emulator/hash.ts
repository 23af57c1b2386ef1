import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 22-character base62 id, stable for a given name, shaped like Spotify's ids. */
export function base62Id(name: string): string {
  let value = BigInt(`0x${createHash('sha256').update(name).digest('hex')}`);
  let id = '';
  for (let i = 0; i < 22; i++) {
    id += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return id;
}

/** A lowercase hex digest of the text, `length` characters long. */
export function hexDigest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A 32-bit hash of a string (FNV-1a), used to seed the generators. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** A number in [0, 1) that depends only on the two integers: random access, no state. */
export function unitHash(seed: number, n: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n | 0, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * Smooth value noise in [-1, 1]: random values at whole x, eased in between. Any x can be
 * computed directly, so any chart date costs the same.
 */
export function smoothNoise(seed: number, x: number): number {
  const k = Math.floor(x);
  const t = x - k;
  const eased = t * t * (3 - 2 * t);
  const a = unitHash(seed, k) * 2 - 1;
  const b = unitHash(seed, k + 1) * 2 - 1;
  return a + (b - a) * eased;
}

/** A seeded generator (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
