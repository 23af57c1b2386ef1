const MASK = '[redacted]';
// Very short values would mask ordinary words; real secrets are long.
const MIN_SECRET_LENGTH = 6;

// Credentials that announce themselves are masked whatever their value, known or not: an
// Authorization header's value, OAuth fields in JSON or form bodies, a URL's password.
const SELF_EVIDENT: readonly [RegExp, string][] = [
  // Long, and not a plain word ("Basic Instinct" is a title, not a credential).
  [
    /\b(Basic|Bearer)(\s+|%20)(?=[A-Za-z0-9+/=._~-]*[0-9+/=_~-])[A-Za-z0-9+/=._~-]{16,}/g,
    `$1$2${MASK}`,
  ],
  [
    /("(?:access_token|refresh_token|client_secret|code_verifier|id_token|password)"\s*:\s*")(?:[^"\\]|\\.)*"/gi,
    `$1${MASK}"`,
  ],
  [
    /((?:\b(?:access_token|refresh_token|client_secret|code_verifier|id_token)|[?&]code)=)[^&\s"']+/gi,
    `$1${MASK}`,
  ],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, `$1${MASK}@`],
];

/**
 * Masks secrets wherever they could surface: logs, errors, the ledger, exports. A secret is
 * masked in every form it travels in (as written, percent-encoded, base64, JSON-escaped), a
 * client id and secret also as the Basic credential made of them; credentials that announce
 * themselves (`Bearer …`, `"access_token": …`, `user:password@`) are masked even when unknown.
 * Secrets learnt later, such as each new access token, are registered with `add`.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private sorted: string[] | null = [];

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Masks `secret`, in every form it may travel in, from now on; short values are ignored. */
  add(secret: string | null | undefined): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of formsOf(secret)) this.secrets.add(form);
    this.sorted = null;
  }

  /** Masks the HTTP Basic credential of `id` and `secret` (and the secret itself). */
  addBasicCredential(id: string, secret: string): void {
    this.add(secret);
    this.add(Buffer.from(`${id}:${secret}`).toString('base64'));
  }

  /** The text with every known secret masked. */
  redact(text: string): string {
    // Longest first, so a secret that contains another is masked whole.
    this.sorted ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.sorted) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    for (const [pattern, replacement] of SELF_EVIDENT) out = out.replace(pattern, replacement);
    return out;
  }
}

/** A secret as written and in the encodings it may be echoed in. */
function formsOf(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  const forms = [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    // Some JSON writers escape "/" (as base64 holds it).
    base64.replaceAll('/', '\\/'),
  ];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** A URL with its password masked (redis://:pass@host, http://user:pass@host). */
export function redactUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, `$1${MASK}@`);
}

/**
 * The password of a single-host URL (redis://:pass@host:6379), as written and percent-decoded;
 * empty when there is none or the text is not a URL.
 */
export function urlPasswords(url: string | null | undefined): string[] {
  if (!url) return [];
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return [];
  }
  if (!parsed.password) return [];
  let decoded = parsed.password;
  try {
    decoded = decodeURIComponent(parsed.password);
  } catch {
    // Not valid percent-encoding: the password is used as written.
  }
  return decoded === parsed.password ? [parsed.password] : [parsed.password, decoded];
}
