import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseFaultSpec } from '../../adapters/emulator/faults.js';
import { parseAppMode } from '../../adapters/emulator/modes.js';
import type { AppMode, Fault } from '../../adapters/emulator/types.js';
import { parseCount } from '../options.js';

/** `chartkeeper emulator`: a local fake of the Spotify Web API, for trying chartkeeper offline. */
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description(
      'run a local Spotify Web API emulator (token endpoint, playlists, faults) until Ctrl+C',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', parseCount(0, 65_535), 0)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--mode <mode>',
      'app mode to behave like: extended, development-legacy or development',
      asArgument(parseAppMode),
      'extended' as AppMode,
    )
    .option('--no-premium', 'behave as if the app owner had no Spotify Premium (every call 403)')
    .option(
      '--fault <spec>',
      'inject a fault, kind[:times[:path[:param]]], e.g. rate-limit:2:items:3; repeatable',
      (value: string, previous: Fault[] = []) => [...previous, asArgument(parseFaultSpec)(value)],
    )
    .action(
      async (options: {
        port: number;
        host: string;
        mode: AppMode;
        premium: boolean;
        fault?: Fault[];
      }) => {
        // Loaded here so that other commands do not pay for the emulator's catalogue at start-up.
        const { startEmulator } = await import('../../adapters/emulator/emulator.js');
        const emulator = await startEmulator({
          port: options.port,
          host: options.host,
          mode: options.mode,
          ownerHasPremium: options.premium,
        });
        for (const fault of options.fault ?? []) emulator.inject(fault);
        const { clientId, clientSecret } = emulator.credentials;
        process.stdout.write(
          [
            `Spotify emulator listening on ${emulator.url} (mode: ${options.mode})`,
            'Point chartkeeper at it with:',
            `  export SPOTIFY_API_URL=${emulator.apiUrl}`,
            `  export SPOTIFY_ACCOUNTS_URL=${emulator.accountsUrl}`,
            `  export SPOTIFY_CLIENT_ID=${clientId}`,
            `  export SPOTIFY_CLIENT_SECRET=${clientSecret}`,
            'Press Ctrl+C to stop.',
            '',
          ].join('\n'),
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await emulator.close();
      },
    );
}

function asArgument<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}
