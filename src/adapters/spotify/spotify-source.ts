import type { HttpSettings, SpotifySettings } from '../../config/schema.js';
import type { EventSink } from '../../domain/ports/observability.js';
import type { ChartFetcher, ChartProbe, FetchResult, Log } from '../../domain/ports/sources.js';
import { SOURCES } from '../../domain/sources.js';
import { expiryWarning } from '../../domain/user-login.js';
import type { Redactor } from '../../lib/redact.js';
import { SpotifyClient } from './client.js';
import { realHttpDeps } from './http.js';
import { type HttpFetch, observed } from './http-transport.js';
import type { SpotifyPlaylistPayload } from './schemas.js';
import type { UserTokenProvider } from './user-tokens.js';

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
  /** Told of every exchange with Spotify (`spotify-response`), for metrics. */
  events?: EventSink;
}

/** The playlists read with the logged-in user's token (config `auth: "user"`), and that token. */
export interface UserLoginSource {
  playlists: readonly string[];
  tokens: UserTokenProvider;
}

/**
 * Spotify playlists fetched through the Web API with an app-only (client credentials) token, or,
 * for the playlists configured with `auth: "user"`, with the logged-in user's token. Their
 * captures are read by `spotifyPlaylistNormaliser`.
 */
export class SpotifyPlaylistFetcher implements ChartFetcher {
  readonly source = SOURCES.spotifyPlaylist;
  readonly client: SpotifyClient;
  private readonly userClient: SpotifyClient | null;
  private readonly now: () => number;

  constructor(
    spotify: SpotifySettings,
    http: HttpSettings,
    deps: SpotifySourceDeps = {},
    private readonly user: UserLoginSource | null = null,
  ) {
    this.now = deps.now ?? Date.now;
    const fetch = deps.fetch ?? realHttpDeps.fetch;
    const clientDeps = {
      fetch: deps.events ? observed(fetch, deps.events, spotify) : fetch,
      sleep: deps.sleep ?? realHttpDeps.sleep,
      random: deps.random ?? realHttpDeps.random,
      now: deps.now,
      timeZone: deps.timeZone,
      redactor: deps.redactor,
    };
    this.client = new SpotifyClient(spotify, http, clientDeps);
    this.userClient = user ? new SpotifyClient(spotify, http, clientDeps, user.tokens) : null;
  }

  /**
   * Gets a token, or reuses a cached one, and says for how long it is valid (never what it is).
   * With the user's login it also says whose, and warns when the login is about to expire.
   */
  async authenticate(log: Log, chartId?: string): Promise<void> {
    const user = chartId !== undefined ? this.userLogin(chartId) : null;
    const token = await (user ? user.tokens : this.client.tokens).token(log);
    const left = token.validForSeconds;
    const whose = user ? 'user token' : 'token';
    log(
      'info',
      token.fresh
        ? `${whose} obtained, valid for ${left} s`
        : `${whose} reused, valid for ${left} more s`,
    );
    if (!user) return;
    const login = await user.tokens.summary();
    if (login) {
      log('info', `reading as Spotify user ${login.displayName ?? login.userId} (${login.userId})`);
      const warning = expiryWarning(login, new Date(this.now()));
      if (warning) log('warn', warning);
    } else if (user.tokens.fromEnvironment) {
      log('info', 'reading with the user login in SPOTIFY_REFRESH_TOKEN');
    }
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
    const client = this.userLogin(chartId) ? (this.userClient as SpotifyClient) : this.client;
    const playlist = await client.getPlaylist(chartId, log);
    const version = playlist.snapshot_id;
    if (context.latestVersion !== null && version === context.latestVersion) {
      log(
        'info',
        `playlist "${playlist.name}" unchanged since the latest capture (snapshot ${version}); items not fetched`,
      );
      return { kind: 'unchanged', version };
    }
    log('info', `playlist "${playlist.name}" at snapshot ${version}; fetching its items`);
    const { endpoint, pages } = await client.getPlaylistItems(chartId, log);
    const count = pages.reduce((sum, page) => sum + page.items.length, 0);
    log(
      'info',
      `fetched ${count} items in ${pages.length} page${pages.length === 1 ? '' : 's'} from /${endpoint}`,
    );
    const payload: SpotifyPlaylistPayload = { playlist, endpoint, pages };
    return { kind: 'fetched', payload, version };
  }

  /**
   * The playlist's name and one item, with the token a capture of it would use: what
   * `chartkeeper doctor` asks per chart.
   */
  async probe(chartId: string, log: Log): Promise<ChartProbe> {
    const client = this.userLogin(chartId) ? (this.userClient as SpotifyClient) : this.client;
    const { name, total } = await client.probePlaylist(chartId, log);
    return { title: name, items: total };
  }

  /** The user login a playlist is read with, or null for the app's own token. */
  private userLogin(chartId: string): UserLoginSource | null {
    return this.user?.playlists.includes(chartId) ? this.user : null;
  }
}
