const ID = /^[0-9A-Za-z]{22}$/;

/**
 * Accepts a bare playlist id, a `spotify:playlist:` URI or an open.spotify.com link
 * (with or without `?si=` and locale prefixes) and returns the id, or null.
 */
export function parsePlaylistId(input: string): string | null {
  const value = input.trim();
  if (ID.test(value)) return value;
  const uri = /^spotify:playlist:([0-9A-Za-z]{22})$/.exec(value);
  if (uri) return uri[1] ?? null;
  try {
    const url = new URL(value);
    if (!/(^|\.)spotify\.com$/.test(url.hostname)) return null;
    const match = /\/playlist\/([0-9A-Za-z]{22})\/?$/.exec(url.pathname);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}
