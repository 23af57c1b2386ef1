const ID = /^[0-9A-Za-z]{22}$/;

/**
 * Reads a track as a user writes it: a bare track id, a `spotify:track:` URI or an
 * open.spotify.com/track link (with or without `?si=` and a locale prefix). Null otherwise, so
 * that the caller can take the text as a title to search for.
 */
export function parseTrackId(input: string): string | null {
  const value = input.trim();
  if (ID.test(value)) return value;
  const uri = /^spotify:track:([0-9A-Za-z]{22})$/.exec(value);
  if (uri) return uri[1] ?? null;
  try {
    const url = new URL(value);
    if (!/(^|\.)spotify\.com$/.test(url.hostname)) return null;
    const match = /\/track\/([0-9A-Za-z]{22})\/?$/.exec(url.pathname);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}
