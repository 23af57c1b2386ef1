import type { FaultQueue } from './faults.js';
import { parseAppMode } from './modes.js';
import { apiError, json, noContent, type Reply } from './responses.js';
import type { ControlName } from './routes.js';
import type { AppMode, Fault, RequestRecord } from './types.js';

/** What the control endpoints may read and change. */
export interface ControlState {
  faults: FaultQueue;
  requests: RequestRecord[];
  getMode(): AppMode;
  setMode(mode: AppMode): void;
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
    if (method === 'GET') return json(200, { mode: state.getMode() });
    const request = parseBody(body) as { mode?: unknown } | null;
    state.setMode(parseAppMode(String(request?.mode)));
    return noContent();
  } catch (error) {
    return apiError(400, error instanceof Error ? error.message : String(error));
  }
}
