import type { AlertSink } from '../../domain/ports/alert-sink.js';
import type { Coordination } from '../../domain/ports/coordination.js';

/** What the login check needs to know of the user login (as `auth status` reports it). */
export interface LoginFacts {
  /** The warning every run logs from 14 days before the refresh token expires; null before. */
  warning: string | null;
  login: { refreshExpiresAt: string } | null;
}

/**
 * Alerts once per login when it comes within its expiry warning (14 days before the refresh
 * token's six months end); a new login (a new expiry) may alert again. Kept in the store, so a
 * restart does not repeat it.
 */
export async function alertOnLoginExpiry(
  deps: { coordination: Coordination; sink: AlertSink; login: () => Promise<LoginFacts> },
  now = new Date(),
): Promise<void> {
  const { warning, login } = await deps.login();
  if (!warning || !login) return;
  if ((await deps.coordination.getState('alerts.login-expiry')) === login.refreshExpiresAt) return;
  deps.sink.send({
    kind: 'login-expiring',
    text: `chartkeeper: ${warning}`,
    at: now.toISOString(),
    details: { expiresAt: login.refreshExpiresAt },
  });
  await deps.coordination.setState('alerts.login-expiry', login.refreshExpiresAt);
}
