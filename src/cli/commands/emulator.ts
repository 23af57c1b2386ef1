import type { Command } from 'commander';
import { startSpotifyEmulator } from '../../app/emulator.js';
import { parseCount } from '../options.js';
import { say } from '../output.js';
import { untilStopSignal } from '../process.js';

/** `chartkeeper emulator`: a local fake of the Spotify Web API, for trying chartkeeper offline. */
export function define(command: Command): void {
  command
    .option('--port <n>', 'port to listen on (0 = any free port)', parseCount(0, 65_535), 0)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--mode <mode>',
      'app mode to behave like: extended, development-legacy or development',
      'extended',
    )
    .option('--no-premium', 'behave as if the app owner had no Spotify Premium (every call 403)')
    .option(
      '--premium-refusal <form>',
      'the body of that 403: json (an error object) or text (the bare phrase)',
      'json',
    )
    .option(
      '--quota-exhausted <seconds>',
      'start with the quota exhausted: every API call 429 QUOTA_EXCEEDED, Retry-After counting down from this',
      parseCount(1, 10_000_000),
    )
    .option(
      '--fault <spec>',
      'inject a fault, kind[:times[:path[:param]]], e.g. rate-limit:2:items:3; repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(
      async (options: {
        port: number;
        host: string;
        mode: string;
        premium: boolean;
        premiumRefusal: string;
        quotaExhausted?: number;
        fault?: string[];
      }) => {
        const emulator = await startSpotifyEmulator({
          port: options.port,
          host: options.host,
          mode: options.mode,
          premium: options.premium,
          premiumRefusal: options.premiumRefusal,
          quotaExhaustedSeconds: options.quotaExhausted,
          faults: options.fault ?? [],
        });
        const { clientId, clientSecret } = emulator.credentials;
        say(
          [
            `Spotify emulator listening on ${emulator.url} (mode: ${options.mode})`,
            'Point chartkeeper at it with:',
            `  export SPOTIFY_API_URL=${emulator.apiUrl}`,
            `  export SPOTIFY_ACCOUNTS_URL=${emulator.accountsUrl}`,
            `  export SPOTIFY_CLIENT_ID=${clientId}`,
            `  export SPOTIFY_CLIENT_SECRET=${clientSecret}`,
            'A user login (chartkeeper auth login) is granted at once, as user toplists-fan.',
            'Press Ctrl+C to stop.',
          ].join('\n'),
        );
        await untilStopSignal();
        await emulator.close();
      },
    );
}
