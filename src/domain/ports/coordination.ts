import type { StateKey, StateValues } from '../state.js';

/** Who holds a lease and until when (ISO 8601). */
export interface Lease {
  name: string;
  owner: string;
  expiresAt: string;
}

/** What lets processes sharing a store work together: leases, and the scheduler's state. */
export interface Coordination {
  /**
   * Takes the named lease for `owner` until `ttlMs` from now when nobody holds it, its holder's
   * time is up, or `owner` already holds it (then it is extended). One atomic step across every
   * process sharing the store. Returns the holder after the call: `owner` exactly when taken.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease>;
  /** Gives the lease up if `owner` holds it, expired or not; true when it did. */
  releaseLease(name: string, owner: string): Promise<boolean>;
  /** The lease of that name, whoever holds it and whether or not its time is up; null if none. */
  getLease(name: string): Promise<Lease | null>;

  /** A value of the scheduler's state (per chart or slot under `scope`), or null. */
  getState<K extends StateKey>(key: K, scope?: string): Promise<StateValues[K] | null>;
  /** Sets such a value; null removes it. */
  setState<K extends StateKey>(key: K, value: StateValues[K] | null, scope?: string): Promise<void>;
}
