const MASK = '[redacted]';

/** Replaces known secret values (client secret, tokens, passwords) wherever they would surface. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: ReadonlyArray<string | null | undefined>) {
    // Very short values would mask ordinary words; real secrets are long.
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
  }

  /** The text with every known secret masked. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }
}

/** Masks the password of a connection string such as mongodb://user:pass@host/db. */
export function redactUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, `$1${MASK}@`);
}
