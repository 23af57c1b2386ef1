const MASK = '[redacted]';
// Very short values would mask ordinary words; real secrets are long.
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces known secret values (client secret, access tokens, passwords) wherever they would
 * surface. Secrets learnt later, such as each new access token, are registered with `add`.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Masks `secret` from now on; empty and very short values are ignored. */
  add(secret: string | null | undefined): void {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
  }

  /** The text with every known secret masked. */
  redact(text: string): string {
    // Longest first, so a secret that contains another is masked whole.
    const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(MASK);
    return out;
  }
}

/** Masks the password of a connection string such as mongodb://user:pass@host/db. */
export function redactUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, `$1${MASK}@`);
}

/**
 * The password of a connection URL (redis://:pass@host, mongodb://user:pass@h1,h2/db), as written
 * and percent-decoded; empty when there is none. Read by hand rather than with `URL`, which
 * refuses MongoDB's lists of hosts.
 */
export function passwordsOf(url: string | null | undefined): string[] {
  if (!url) return [];
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url.trim())?.[1];
  const colon = userinfo?.indexOf(':') ?? -1;
  if (!userinfo || colon < 0) return [];
  const written = userinfo.slice(colon + 1);
  if (!written) return [];
  let decoded = written;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    // Not valid percent-encoding: the password is used as written.
  }
  return decoded === written ? [written] : [written, decoded];
}

/** True for a MongoDB connection string (the store setting may also be a SQLite file path). */
export function isMongoUri(value: string): boolean {
  return /^mongodb(\+srv)?:\/\//i.test(value.trim());
}

/** The secrets of chartkeeper's settings: the Spotify client secret and connection passwords. */
export function configSecrets(config: {
  spotify: { clientSecret?: string | null };
  store: string;
  queue: { url?: string | null };
}): string[] {
  const secrets = [
    ...(config.spotify.clientSecret ? [config.spotify.clientSecret] : []),
    ...(isMongoUri(config.store) ? passwordsOf(config.store) : []),
    ...passwordsOf(config.queue.url),
  ];
  return secrets;
}
