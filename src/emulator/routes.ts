import type { RequestPath } from './faults.js';
import type { PlaylistEndpoint } from './modes.js';

export type ControlName = 'faults' | 'requests' | 'mode' | 'login' | 'quota' | 'premium';

export type Route =
  | { kind: 'token' }
  /** accounts.spotify.com/authorize: the user's consent page, here a redirect at once. */
  | { kind: 'authorize' }
  /** GET /v1/me: the user a token belongs to. */
  | { kind: 'me' }
  | { kind: 'playlist'; id: string; endpoint: PlaylistEndpoint }
  | { kind: 'control'; name: ControlName }
  | { kind: 'image'; name: string }
  /** A path Spotify does not serve, under /v1 (faults may hit it) or elsewhere. */
  | { kind: 'unknown'; api: boolean };

const CONTROL_METHODS: Record<ControlName, readonly string[]> = {
  faults: ['POST', 'DELETE'],
  requests: ['GET', 'DELETE'],
  mode: ['GET', 'PUT'],
  login: ['GET', 'POST'],
  quota: ['GET', 'PUT', 'DELETE'],
  premium: ['PUT'],
};

/** Finds what a path addresses; methods are checked separately so a wrong one gets 405. */
export function matchRoute(pathname: string): Route {
  if (pathname === '/api/token') return { kind: 'token' };
  if (pathname === '/authorize') return { kind: 'authorize' };
  if (pathname === '/v1/me') return { kind: 'me' };
  const playlist = /^\/v1\/playlists\/([^/]+)(?:\/(items|tracks))?\/?$/.exec(pathname);
  if (playlist) {
    const endpoint = (playlist[2] as 'items' | 'tracks' | undefined) ?? 'playlist';
    return { kind: 'playlist', id: decodeURIComponent(playlist[1]!), endpoint };
  }
  const control = /^\/_emulator\/(faults|requests|mode|login|quota|premium)$/.exec(pathname);
  if (control) return { kind: 'control', name: control[1] as ControlName };
  const image = /^\/images\/([^/]+)$/.exec(pathname);
  if (image) return { kind: 'image', name: image[1]! };
  return { kind: 'unknown', api: pathname === '/v1' || pathname.startsWith('/v1/') };
}

/** The methods a route answers; empty for unknown routes (they get 404 whatever the method). */
export function allowedMethods(route: Route): readonly string[] {
  switch (route.kind) {
    case 'token':
      return ['POST'];
    case 'playlist':
    case 'image':
    case 'authorize':
    case 'me':
      return ['GET'];
    case 'control':
      return CONTROL_METHODS[route.name];
    case 'unknown':
      return [];
  }
}

/** Which faults may hit the route: none for control endpoints, images and non-API paths. */
export function faultPathOf(route: Route): RequestPath | null {
  if (route.kind === 'token') return 'token';
  if (route.kind === 'playlist') return route.endpoint;
  if (route.kind === 'me') return 'other';
  if (route.kind === 'unknown' && route.api) return 'other';
  return null;
}
