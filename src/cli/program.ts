import { Command, CommanderError } from 'commander';
import { VERSION as version } from '../lib/version.js';
import { EXIT, readerStopped, reportError } from './output.js';

/** What a verb's module (commands/<verb>.ts) exports: it adds options, arguments and the action. */
export type DefineVerb = (command: Command) => void;

/** Every verb, with what it does, for `--help` (a verb's options are defined by its module). */
export const VERBS: Readonly<Record<string, string>> = {
  run: 'capture the configured charts now, once; exits 0 only if every chart was captured',
  chart: "show a stored chart with each entry's movement (the latest by default)",
  charts: 'list the stored charts: source, chart id, title, first and last date, number of charts',
  history:
    "show a track's chart history (peak, days on chart, streaks, streams) or, with --artist, an artist's",
  movers:
    'show climbers, fallers, new entries, re-entries and drop-outs against the previous chart',
  top: 'rank tracks or artists over a period of a chart, by days, streams or points',
  runs: 'show the run ledger, newest first',
  doctor:
    'check the configuration, store, queue and Spotify credentials, and whether each configured chart can be captured (a handful of requests); exits 0 only if every chart can be',
  logs: "show a run's task logs (default: the latest run)",
  serve:
    'capture the configured charts on the schedule until stopped (SIGTERM or Ctrl+C); with CHARTKEEPER_QUEUE set, captures are handed to `chartkeeper worker` processes',
  worker:
    'run captures taken from the queue in CHARTKEEPER_QUEUE (redis://…) until stopped (SIGTERM or Ctrl+C); run as many as you like, on any machines',
  trigger:
    'queue a capture of the configured charts (or --playlist ones) for the running `chartkeeper serve` to run now',
  pause:
    'pause scheduled captures (for every serve on this store) until `chartkeeper resume`; manual triggers still run',
  resume: 'resume scheduled captures after `chartkeeper pause`',
  backup:
    'write a consistent copy of the SQLite store to --to FILE, safely while serve runs (restore: see Operations in the README)',
  flush:
    'write the captures and runs waiting in the outbox (kept while the store was unreachable) into the store',
  export:
    'write every capture, chart and run of the store as NDJSON (one record per line), for `chartkeeper import`; with --format csv|ndjson, the charts with their entries (of --chart keys, dated --from/--to)',
  import:
    'import chart files (charts.spotify.com, spotifycharts.com, the 2017-2021 dataset) or an export; importing again adds nothing twice',
  'import-seed':
    "import the original Airflow system's MongoDB documents (one /tracks page per run) as captures and daily charts; safe to repeat",
  demo: 'offline demo: start the Spotify emulator, capture its daily chart for the last few days, print the latest',
  completion: 'print a shell completion script: chartkeeper completion bash|zsh|fish',
  site: 'write the chart, track and artist pages as static files (--out DIR), for any static host',
  emulator: 'run a local Spotify Web API emulator (token endpoint, playlists, faults) until Ctrl+C',
  auth: 'log in to Spotify as a user (auth login), see the login (auth status), forget it (auth logout)',
};

/** The verb a command line names: the verb itself, or the one `help VERB` asks about. */
export function verbIn(argv: readonly string[]): string | null {
  const [first, second] = argv.slice(2);
  const named = first === 'help' ? second : first;
  return named && Object.hasOwn(VERBS, named) ? named : null;
}

/**
 * Runs the command line: with no verb `defined`, every verb is listed for `--help`; otherwise the
 * ones in `defined` get their options and action (a bundle defines only the verb it runs).
 */
export async function runCli(
  argv: readonly string[],
  defined: Readonly<Record<string, DefineVerb>>,
): Promise<void> {
  // A reader that stops early (`chartkeeper runs | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') readerStopped();
    throw error;
  });
  try {
    const program = new Command('chartkeeper')
      .description('Keeps a daily record of what the world listens to on Spotify.')
      .version(version)
      .showHelpAfterError('(add --help for usage)')
      .exitOverride();
    // A verb's bundle registers its own verb only (each Command costs start-up time); the
    // entry point for --help and mistakes, which defines none, lists them all.
    const listed = Object.keys(defined).length > 0 ? Object.keys(defined) : Object.keys(VERBS);
    for (const name of listed) {
      const command = program
        .command(name)
        .description(VERBS[name] ?? '')
        .exitOverride();
      defined[name]?.(command);
    }
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode =
      error instanceof CommanderError
        ? error.exitCode === 0
          ? EXIT.ok
          : EXIT.usage
        : reportError(error);
  }
}
