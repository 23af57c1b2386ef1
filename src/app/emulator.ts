import { ChartkeeperError } from '../domain/errors.js';
import {
  type AppMode,
  type Fault,
  type PremiumRefusal,
  parseAppMode,
  parseFaultSpec,
  parsePremiumRefusal,
  type RunningEmulator,
  startEmulator,
} from '../emulator/emulator.js';
import { listenError } from './listen-error.js';

// Kept here too for the modules that import it from the emulator's use case.
export { listenError } from './listen-error.js';

export interface EmulatorRequest {
  port: number;
  host: string;
  mode: string;
  premium: boolean;
  /** How the 403 of an owner without Premium looks: `json` (default) or `text`. */
  premiumRefusal?: string;
  /** Start with the quota exhausted for this many seconds. */
  quotaExhaustedSeconds?: number;
  faults: readonly string[];
}

/**
 * Starts the Spotify emulator (`chartkeeper emulator`): a local fake of the Web API for trying
 * chartkeeper offline. A mode or fault that cannot be read, or a port in use, is a usage error.
 */
export async function startSpotifyEmulator(request: EmulatorRequest): Promise<RunningEmulator> {
  let mode: AppMode;
  let faults: Fault[];
  let premiumRefusal: PremiumRefusal;
  try {
    mode = parseAppMode(request.mode);
    premiumRefusal = parsePremiumRefusal(request.premiumRefusal ?? 'json');
    faults = request.faults.map(parseFaultSpec);
  } catch (error) {
    throw new ChartkeeperError('usage', (error as Error).message, { permanent: true });
  }
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      port: request.port,
      host: request.host,
      mode,
      ownerHasPremium: request.premium,
      premiumRefusal,
      quotaExhaustedSeconds: request.quotaExhaustedSeconds,
    });
  } catch (error) {
    throw listenError(error, request.host, request.port);
  }
  for (const fault of faults) emulator.inject(fault);
  return emulator;
}
