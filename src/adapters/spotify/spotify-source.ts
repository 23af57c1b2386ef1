import type { HttpSettings, SpotifySettings } from '../../config/schema.js';
import type { ChartFetcher, ChartProbe, FetchResult, Log } from '../../domain/ports/sources.js';
import { SOURCES } from '../../domain/sources.js';
import type { Redactor } from '../../lib/redact.js';
import { SpotifyClient } from './client.js';
import { realHttpDeps } from './http.js';
import type { HttpFetch } from './http-transport.js';
import type { SpotifyPlaylistPayload } from './schemas.js';

/** Replaceable I/O, for tests; each defaults to the real thing. */
export interface SpotifySourceDeps {
  fetch?: HttpFetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** The zone times are told in (config `timezone`): when an exhausted quota resumes. */
  timeZone?: string;
  /** Learns every access token this source obtains, so that whatever echoes one masks it. */
  redactor?: Redactor;
}

/**
 * Spotify playlists fetched through the Web API with an app-only (client credentials) token.
 * Their captures are read by `spotifyPlaylistNormaliser`.
 */
export class SpotifyPlaylistFetcher implements ChartFetcher {
  readonly source = SOURCES.spotifyPlaylist;
  readonly client: SpotifyClient;

  constructor(spotify: SpotifySettings, http: HttpSettings, deps: SpotifySourceDeps = {}) {
    this.client = new SpotifyClient(spotify, http, {
      fetch: deps.fetch ?? realHttpDeps.fetch,
      sleep: deps.sleep ?? realHttpDeps.sleep,
      random: deps.random ?? realHttpDeps.random,
      now: deps.now,
      timeZone: deps.timeZone,
      redactor: deps.redactor,
    });
  }

  /** Gets a token, or reuses a cached one, and says for how long it is valid (never what it is). */
  async authenticate(log: Log): Promise<void> {
    const token = await this.client.tokens.token(log);
    const left = token.validForSeconds;
    log(
      'info',
      token.fresh
        ? `token obtained, valid for ${left} s`
        : `token reused, valid for ${left} more s`,
    );
  }

  /**
   * Reads the playlist's metadata, and all its items unless its snapshot_id equals the latest
   * capture's version; the payload is everything received, every page.
   */
  async fetch(
    chartId: string,
    context: { latestVersion: string | null; log: Log },
  ): Promise<FetchResult> {
    const { log } = context;
    const playlist = await this.client.getPlaylist(chartId, log);
    const version = playlist.snapshot_id;
    if (context.latestVersion !== null && version === context.latestVersion) {
      log(
        'info',
        `playlist "${playlist.name}" unchanged since the latest capture (snapshot ${version}); items not fetched`,
      );
      return { kind: 'unchanged', version };
    }
    log('info', `playlist "${playlist.name}" at snapshot ${version}; fetching its items`);
    const { endpoint, pages } = await this.client.getPlaylistItems(chartId, log);
    const count = pages.reduce((sum, page) => sum + page.items.length, 0);
    log(
      'info',
      `fetched ${count} items in ${pages.length} page${pages.length === 1 ? '' : 's'} from /${endpoint}`,
    );
    const payload: SpotifyPlaylistPayload = { playlist, endpoint, pages };
    return { kind: 'fetched', payload, version };
  }

  /** A token, then the playlist's name and one item: what `chartkeeper doctor` asks per chart. */
  async probe(chartId: string, log: Log): Promise<ChartProbe> {
    const { name, total } = await this.client.probePlaylist(chartId, log);
    return { title: name, items: total };
  }
}
