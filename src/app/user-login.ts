import type { DoctorCheck } from '../domain/diagnosis.js';
import type { AppContext } from './context.js';

/**
 * `chartkeeper doctor`'s check of the user login (Authorization Code with PKCE, issue 11). Until
 * chartkeeper can log a user in, there is none to check: charts are read with the app's own token.
 * The one place to replace once `chartkeeper auth login` exists (who is logged in, scopes, when
 * the refresh token expires).
 */
export async function checkUserLogin(_ctx: AppContext): Promise<DoctorCheck> {
  return {
    name: 'user login',
    status: 'skipped',
    detail: "no user login: charts are read with the app's own token (client credentials)",
    hint: null,
  };
}
