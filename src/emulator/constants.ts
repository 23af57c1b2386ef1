/** The client credentials the emulator accepts unless told otherwise. */
export const EMULATOR_CREDENTIALS = {
  clientId: 'chartkeeper-emulator-client',
  clientSecret: 'chartkeeper-emulator-secret',
} as const;

/** The playlists the emulator serves. */
export const EMULATOR_PLAYLISTS = {
  /** "Top 50 - Global" copied by a user (the original system's playlist): 50 tracks, daily. */
  daily: '5FN6Ego7eLX6zHuCMovIR2',
  /** Spotify's own "Top 50 - Global": the same contents, owned by "spotify". */
  editorial: '37i9dQZEVXbMDoHDwVN2tF',
  /** "Top 200 - Global": 200 tracks, daily, so four pages at limit 50. */
  large: 'Ck200GlobalDailyChart1',
  /** About a dozen entries covering every shape a real playlist item can take. */
  awkward: 'CkAwkwardCasesPlaylist',
} as const;

/** Spotify-owned editorial playlists have ids starting with this; Development Mode apps get 404. */
export const EDITORIAL_PREFIX = '37i9';
