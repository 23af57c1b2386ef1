import type { LoginResult, LoginStatus } from '../../app/auth.js';
import type { LoginSummary } from '../../domain/user-login.js';

/** The line `auth login` ends with. */
export function renderLogin(result: LoginResult): string {
  return [
    `Logged in to Spotify as ${who(result.login)}; scopes: ${result.login.scopes.join(' ') || '(none)'}.`,
    `The login is kept in ${result.file} (readable by you only) and lasts until ${day(result.login.refreshExpiresAt)}.`,
    result.userCharts > 0
      ? `${result.userCharts} configured chart${result.userCharts === 1 ? ' is' : 's are'} read with it.`
      : 'No configured chart uses it yet: mark those to read as this user with "auth": "user" in charts.',
  ].join('\n');
}

/** `auth status` for people. */
export function renderStatus(status: LoginStatus): string {
  if (status.source === 'environment') {
    return 'Logged in through SPOTIFY_REFRESH_TOKEN (who and until when are known only to the login kept in a credentials file).';
  }
  const { login } = status;
  if (!login)
    return `Not logged in to Spotify (no ${status.file}). Log in with: chartkeeper auth login`;
  const lines = [
    `user:     ${who(login)}`,
    `scopes:   ${login.scopes.join(' ') || '(none)'}`,
    `since:    ${login.loggedInAt}`,
    `expires:  ${login.refreshExpiresAt}${status.daysLeft !== null && status.daysLeft >= 0 ? ` (in ${status.daysLeft} days)` : ''}`,
    `file:     ${status.file}`,
  ];
  if (login.ended) {
    lines.push(`ended:    ${login.ended.at}: ${login.ended.reason}`);
    lines.push('Log in again with: chartkeeper auth login');
  } else if (!status.loggedIn) {
    lines.push('The login has expired. Log in again with: chartkeeper auth login');
  }
  return lines.join('\n');
}

/** What `auth logout` did. */
export function renderLogout(result: { removed: boolean; file: string }): string {
  return result.removed
    ? `Logged out: removed ${result.file}. (To take chartkeeper's access away at Spotify too: https://www.spotify.com/account/apps/)`
    : `Not logged in: there was no ${result.file}.`;
}

function who(login: LoginSummary): string {
  return login.displayName ? `${login.displayName} (${login.userId})` : login.userId;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}
