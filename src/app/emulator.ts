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

/** A failure to listen, in words: a port in use or not ours to take, an address not here. */
export function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown }).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new ChartkeeperError('port-in-use', `Port ${port} on ${host} is already in use.`, {
      hint: `Stop whatever listens on ${where}, or choose another port (--port 0 takes any free one).`,
      permanent: true,
    });
  }
  if (code === 'EACCES') {
    return new ChartkeeperError('port-in-use', `Not allowed to listen on ${where}.`, {
      hint: 'Ports below 1024 need special rights; choose a port from 1024 up.',
      permanent: true,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ChartkeeperError('usage', `${host} is not an address of this machine.`, {
      hint: 'Use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).',
      permanent: true,
    });
  }
  return error;
}
