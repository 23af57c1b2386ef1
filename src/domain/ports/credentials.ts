import type { UserLogin } from '../user-login.js';

/**
 * Where the user login is kept between processes (the credentials file). Several processes may
 * share it (serve, run, workers on one machine): whoever refreshes the login does so inside
 * `exclusive`, re-reading it first, so that a refresh token rotated by one is never overwritten
 * with a stale one by another.
 */
export interface CredentialStore {
  /** Where it is, safe to print. */
  readonly location: string;
  /** The login kept, or null when nobody logged in; throws a clear error for a damaged file. */
  read(): Promise<UserLogin | null>;
  /** Replaces the login all at once: a reader sees the old one or the new one, never a mix. */
  write(login: UserLogin): Promise<void>;
  /** Forgets the login; false when there was none. */
  remove(): Promise<boolean>;
  /** Runs `work` while no other process runs its own `exclusive` work on this store. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}
