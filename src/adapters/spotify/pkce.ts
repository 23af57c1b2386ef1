import { createHash, randomBytes } from 'node:crypto';

/** The secrets of one PKCE login: the verifier stays here, its challenge goes to Spotify. */
export interface PkcePair {
  verifier: string;
  challenge: string;
  /** Ties the redirect to this login attempt: a redirect with another state is refused. */
  state: string;
}

/**
 * A new verifier (64 random bytes as base64url: 86 characters, within RFC 7636's 43 to 128), its
 * S256 challenge, and a random state.
 */
export function newPkcePair(): PkcePair {
  const verifier = randomBytes(64).toString('base64url');
  return {
    verifier,
    challenge: challengeOf(verifier),
    state: randomBytes(24).toString('base64url'),
  };
}

/** The S256 code challenge of a verifier: base64url(sha256(verifier)), no padding. */
export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
