import { createHash, randomBytes } from 'node:crypto';
import type { SpotifyTokenReply } from '../adapters/spotify/schemas.js';
import type { PlaylistOwner } from './catalogue.js';

/** The user who logs in to the emulator: the owner of its user playlists. */
export const EMULATOR_USER: PlaylistOwner = { id: 'toplists-fan', displayName: 'Toplists Fan' };

/** Since 2026 refresh tokens expire six months after consent. */
const REFRESH_LIFETIME_DAYS = 182;
const CODE_LIFETIME_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  userId: string;
  scope: string;
  /** Consent time: the refresh token's lifetime counts from here, whatever rotations follow. */
  consentAt: number;
  revoked: boolean;
}

/** How the token endpoint treats refresh tokens; changed through the control API in tests. */
export interface LoginBehaviour {
  /** Each refresh hands out a new refresh token and retires the old one (default true). */
  rotate: boolean;
  /** A refresh reply leaves refresh_token out (the old one stays valid), as Spotify may. */
  omitRefreshToken: boolean;
}

export type RefreshOutcome =
  | { kind: 'ok'; reply: SpotifyTokenReply }
  | { kind: 'refused'; description: string };

/**
 * The users' side of the emulated accounts service: authorization codes bound to their PKCE
 * challenge, refresh tokens with their consent time (so they expire), revocation and rotation.
 */
export class Logins {
  private readonly codes = new Map<string, PendingCode>();
  private readonly grants = new Map<string, RefreshGrant>();
  readonly behaviour: LoginBehaviour = { rotate: true, omitRefreshToken: false };

  constructor(private readonly lifetimeDays = REFRESH_LIFETIME_DAYS) {}

  /** A one-time code for the user's consent, redeemable with the verifier of `challenge`. */
  issueCode(code: Omit<PendingCode, 'expiresAt'>): string {
    const value = `AQ${randomBytes(48).toString('base64url')}`;
    this.codes.set(value, { ...code, expiresAt: Date.now() + CODE_LIFETIME_MS });
    return value;
  }

  /** Redeems a code once; the grant it started, or why it is refused. */
  redeem(
    code: string,
    request: { clientId: string; redirectUri: string; verifier: string },
  ):
    | { kind: 'ok'; scope: string; refreshToken: string }
    | { kind: 'refused'; description: string } {
    const pending = this.codes.get(code);
    // A code is good once, whatever happens next (RFC 6749 4.1.2).
    this.codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) {
      return { kind: 'refused', description: 'Invalid authorization code' };
    }
    if (pending.clientId !== request.clientId) {
      return { kind: 'refused', description: 'Invalid authorization code' };
    }
    if (pending.redirectUri !== request.redirectUri) {
      return { kind: 'refused', description: 'Invalid redirect URI' };
    }
    const challenge = createHash('sha256').update(request.verifier).digest('base64url');
    if (challenge !== pending.challenge) {
      return { kind: 'refused', description: 'code_verifier was incorrect' };
    }
    const refreshToken = this.newRefreshToken({
      clientId: pending.clientId,
      userId: EMULATOR_USER.id,
      scope: pending.scope,
      consentAt: Date.now(),
      revoked: false,
    });
    return { kind: 'ok', scope: pending.scope, refreshToken };
  }

  /** A refresh: the grant behind the token, rotated or not as `behaviour` says. */
  refresh(token: string, clientId: string, accessToken: () => SpotifyTokenReply): RefreshOutcome {
    const grant = this.grants.get(token);
    if (!grant || grant.revoked || grant.clientId !== clientId) {
      return { kind: 'refused', description: 'Refresh token revoked' };
    }
    if (grant.consentAt + this.lifetimeDays * DAY_MS <= Date.now()) {
      return { kind: 'refused', description: 'Refresh token expired' };
    }
    const reply: SpotifyTokenReply = { ...accessToken(), scope: grant.scope };
    if (this.behaviour.omitRefreshToken) return { kind: 'ok', reply };
    if (!this.behaviour.rotate) return { kind: 'ok', reply: { ...reply, refresh_token: token } };
    grant.revoked = true;
    return {
      kind: 'ok',
      reply: { ...reply, refresh_token: this.newRefreshToken({ ...grant, revoked: false }) },
    };
  }

  /** Which user a refresh token belongs to, for the access tokens it yields. */
  userOf(token: string): string | null {
    return this.grants.get(token)?.userId ?? null;
  }

  /** Revokes every refresh token (the user removed the app's access). */
  revokeAll(): void {
    for (const grant of this.grants.values()) grant.revoked = true;
  }

  /** Moves every consent `days` into the past, bringing refresh-token expiry nearer. */
  age(days: number): void {
    for (const grant of this.grants.values()) grant.consentAt -= days * DAY_MS;
  }

  /** Counts, for the control API (never the tokens themselves). */
  describe(): { refreshTokens: number; usable: number } & LoginBehaviour {
    const usable = [...this.grants.values()].filter((g) => !g.revoked).length;
    return { refreshTokens: this.grants.size, usable, ...this.behaviour };
  }

  /** Every refresh token and code handed out (tests check none of them leaks). */
  secrets(): string[] {
    return [...this.grants.keys(), ...this.codes.keys()];
  }

  private newRefreshToken(grant: RefreshGrant): string {
    const token = `AQ${randomBytes(96).toString('base64url')}`;
    this.grants.set(token, grant);
    return token;
  }
}
