/** How the emulated app was registered; decides what a client-credentials token may read. */
export type AppMode = 'extended' | 'development-legacy' | 'development';

export type FaultKind =
  | 'rate-limit'
  | 'server-error'
  | 'slow'
  | 'malformed-json'
  | 'expire-token'
  | 'connection-reset';

/** Which requests a fault hits: the token endpoint, one playlist endpoint, or any /v1 request. */
export type FaultPath = 'token' | 'playlist' | 'items' | 'tracks' | 'any';

export interface Fault {
  kind: FaultKind;
  /** How many matching requests it hits, default 1. */
  times?: number;
  /** Default 'any': any /v1 request ('token' is the token endpoint, which 'any' leaves alone). */
  path?: FaultPath;
  /** rate-limit: the Retry-After header value, default 1. */
  retryAfterSeconds?: number;
  /** server-error: 500, 502, 503 (default) or 504. */
  status?: number;
  /** slow: default 2000. */
  delayMs?: number;
  /** rate-limit: adds "reason":"QUOTA_EXCEEDED" to the body. */
  quota?: boolean;
}

export interface RequestRecord {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The query string with its leading '?', or '' (so offsets and limits can be checked). */
  query: string;
  /** 0 when the connection was reset without an answer. */
  status: number;
  durationMs: number;
}
