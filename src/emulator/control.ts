import type { FaultQueue } from './faults.js';
import type { Logins } from './logins.js';
import { type PremiumRefusal, parseAppMode, parsePremiumRefusal } from './modes.js';
import type { QuotaState } from './quota.js';
import { apiError, json, noContent, type Reply } from './responses.js';
import type { ControlName } from './routes.js';
import type { AppMode, Fault, RequestRecord } from './types.js';

/** What the control endpoints may read and change. */
export interface ControlState {
  faults: FaultQueue;
  requests: RequestRecord[];
  getMode(): AppMode;
  setMode(mode: AppMode): void;
  logins: Logins;
  quota: QuotaState;
  setPremium(active: boolean, as?: PremiumRefusal): void;
}

/**
 * POST /_emulator/login: changes how refresh tokens behave, each field optional —
 * `revoke: true` revokes every refresh token, `ageDays: N` moves every consent N days into the
 * past (nearer its six-month expiry), `rotate` and `omitRefreshToken` as in LoginBehaviour.
 */
export interface LoginControl {
  revoke?: boolean;
  ageDays?: number;
  rotate?: boolean;
  omitRefreshToken?: boolean;
}

/** Applies a login control; throws for a field it cannot read. */
export function applyLoginControl(logins: Logins, control: LoginControl): void {
  const { revoke, ageDays, rotate, omitRefreshToken } = control;
  if (revoke !== undefined && typeof revoke !== 'boolean')
    throw new Error('revoke must be true or false');
  if (ageDays !== undefined && !Number.isFinite(ageDays))
    throw new Error('ageDays must be a number');
  if (rotate !== undefined && typeof rotate !== 'boolean')
    throw new Error('rotate must be true or false');
  if (omitRefreshToken !== undefined && typeof omitRefreshToken !== 'boolean') {
    throw new Error('omitRefreshToken must be true or false');
  }
  if (rotate !== undefined) logins.behaviour.rotate = rotate;
  if (omitRefreshToken !== undefined) logins.behaviour.omitRefreshToken = omitRefreshToken;
  if (ageDays !== undefined) logins.age(ageDays);
  if (revoke) logins.revokeAll();
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new Error('the body must be JSON');
  }
}

/**
 * The /_emulator endpoints, for tests and demos that run the emulator in another process.
 * Their errors use Spotify's shape so one client helper can read them all.
 */
export function controlEndpoint(
  name: ControlName,
  method: string,
  body: string,
  state: ControlState,
): Reply {
  try {
    if (name === 'faults') {
      if (method === 'DELETE') state.faults.clear();
      else state.faults.inject(parseBody(body) as Fault);
      return noContent();
    }
    if (name === 'requests') {
      if (method === 'GET') return json(200, state.requests);
      state.requests.length = 0;
      return noContent();
    }
    if (name === 'login') {
      if (method === 'GET') return json(200, state.logins.describe());
      applyLoginControl(state.logins, (parseBody(body) ?? {}) as LoginControl);
      return noContent();
    }
    if (name === 'quota') return quotaControl(method, body, state.quota);
    if (name === 'premium') {
      const request = parseBody(body) as { active?: unknown; as?: unknown } | null;
      if (typeof request?.active !== 'boolean') throw new Error('active must be true or false');
      const as = request.as === undefined ? undefined : parsePremiumRefusal(String(request.as));
      state.setPremium(request.active, as);
      return noContent();
    }
    if (method === 'GET') return json(200, { mode: state.getMode() });
    const request = parseBody(body) as { mode?: unknown } | null;
    state.setMode(parseAppMode(String(request?.mode)));
    return noContent();
  } catch (error) {
    return apiError(400, error instanceof Error ? error.message : String(error));
  }
}

/**
 * PUT /_emulator/quota `{"retryAfterSeconds": 49000}` exhausts the quota for that long; DELETE
 * gives it back; GET says how many seconds are left (null: not exhausted).
 */
function quotaControl(method: string, body: string, quota: QuotaState): Reply {
  if (method === 'GET') return json(200, { retryAfterSeconds: quota.secondsLeft() });
  if (method === 'DELETE') {
    quota.restore();
    return noContent();
  }
  const request = parseBody(body) as { retryAfterSeconds?: unknown } | null;
  const seconds = request?.retryAfterSeconds;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
    throw new Error('retryAfterSeconds must be a whole number of at least 1');
  }
  quota.exhaust(seconds);
  return noContent();
}
