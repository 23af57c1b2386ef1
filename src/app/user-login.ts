import type { DoctorCheck } from '../domain/diagnosis.js';
import { LOGIN_COMMAND } from '../domain/user-login.js';
import type { AppContext } from './context.js';

/**
 * `chartkeeper doctor`'s check of the user login (Authorization Code with PKCE): who is logged
 * in and until when, or that nobody is although charts are configured with `"auth": "user"`.
 * Whether Spotify still accepts the login is found when those charts are probed.
 */
export async function checkUserLogin(ctx: AppContext): Promise<DoctorCheck> {
  const { loginStatus } = await import('./auth.js');
  const users = ctx.config.auth.userPlaylists.length;
  const charts = `${users} chart${users === 1 ? '' : 's'} configured with "auth": "user"`;
  const status = await loginStatus(ctx.config);
  if (status.source === 'environment') {
    return {
      name: 'user login',
      status: 'ok',
      detail: `SPOTIFY_REFRESH_TOKEN supplies the user login${users ? ` (${charts})` : ''}`,
      hint: null,
    };
  }
  if (!status.loggedIn) {
    const what = status.login ? 'the user login has ended' : 'no user login';
    if (users === 0) {
      return {
        name: 'user login',
        status: 'skipped',
        detail: `${what}: charts are read with the app's own token (client credentials)`,
        hint: null,
      };
    }
    return {
      name: 'user login',
      status: 'failed',
      detail: `${what}, but ${charts} need one`,
      hint: `Log in with: ${LOGIN_COMMAND}`,
    };
  }
  const login = status.login;
  const who = login ? `${login.displayName ?? login.userId} (${login.userId})` : 'a user';
  const left = status.daysLeft === null ? '' : `, ${status.daysLeft} days left of the login`;
  return {
    name: 'user login',
    status: 'ok',
    detail: `logged in as ${who}${left}${users ? `; ${charts}` : '; no chart uses it'}${status.warning ? `; ${status.warning}` : ''}`,
    hint: null,
  };
}
