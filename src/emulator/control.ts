import type { FaultQueue } from './faults.js';
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
  quota: QuotaState;
  setPremium(active: boolean, as?: PremiumRefusal): void;
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
