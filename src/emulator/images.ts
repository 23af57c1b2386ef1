import { seedOf } from './hash.js';
import type { Reply } from './responses.js';
import { apiError } from './responses.js';

// The prefixes Spotify's image CDN uses for 640, 300 and 64 pixel covers.
const SIZE_PREFIX: Record<number, string> = {
  640: 'ab67616d0000b273',
  300: 'ab67616d00001e02',
  64: 'ab67616d00004851',
};

/** Where a cover is served: on the emulator itself, so demos show pictures without the internet. */
export function imageUrl(origin: string, key: string, size: number): string {
  return `${origin}/images/${SIZE_PREFIX[size] ?? SIZE_PREFIX[640]}${key}`;
}

/** A cover for GET /images/{name}: a gradient coloured by the name, as SVG. */
export function imageReply(name: string): Reply {
  if (!/^[0-9A-Za-z]{1,100}$/.test(name)) return apiError(404, 'Resource not found');
  const hue = seedOf(name) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,25%)"/></linearGradient></defs><rect width="640" height="640" fill="url(#g)"/><circle cx="320" cy="320" r="120" fill="none" stroke="rgba(255,255,255,0.5)" stroke-width="24"/></svg>`;
  return {
    status: 200,
    body: svg,
    contentType: 'image/svg+xml',
    headers: { 'Cache-Control': 'public, max-age=86400' },
  };
}
