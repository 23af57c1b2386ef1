import { Command, CommanderError } from 'commander';
import { EXIT, reportError } from './output.js';

/** Written in at build time (scripts/build.mjs), from package.json. */
declare const CHARTKEEPER_VERSION: string;
const version = typeof CHARTKEEPER_VERSION === 'string' ? CHARTKEEPER_VERSION : 'development';

/** What a verb's module (commands/<verb>.ts) exports: its options, arguments and action. */
interface Verb {
  define(command: Command): void;
}

/**
 * Every verb, with what it does for `--help`. A verb's module is loaded only when the verb runs
 * (or its help is asked for): each is a bundle of its own in dist/, so `chartkeeper chart` never
 * reads the code of `serve`, and `--help` reads none of them.
 */
const VERBS: Record<string, string> = {
  run: 'capture the configured charts now, once; exits 0 only if every chart was captured',
  chart: "show a stored chart with each entry's movement (the latest by default)",
  runs: 'show the run ledger, newest first',
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
  flush:
    'write the captures and runs waiting in the outbox (kept while the store was unreachable) into the store',
  export:
    'write every capture, chart and run of the store as NDJSON (one record per line), for `chartkeeper import`',
  import:
    'read an export (from `chartkeeper export`) into the configured store; importing again adds nothing twice',
  'import-seed':
    "import the original Airflow system's MongoDB documents (one /tracks page per run) as captures and daily charts; safe to repeat",
  demo: 'offline demo: start the Spotify emulator, capture its daily chart for the last few days, print the latest',
  emulator: 'run a local Spotify Web API emulator (token endpoint, playlists, faults) until Ctrl+C',
};

/** Loads a verb's module; the path is computed, so that the bundler keeps each verb apart. */
async function loadVerb(name: string): Promise<Verb> {
  return (await import(new URL(`./commands/${name}.js`, import.meta.url).href)) as Verb;
}

/** The chartkeeper command line, with the verbs in `load` fully defined, the others by name. */
export async function buildProgram(load: readonly string[]): Promise<Command> {
  const program = new Command('chartkeeper')
    .description('Keeps a daily record of what the world listens to on Spotify.')
    .version(version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const [name, description] of Object.entries(VERBS)) {
    const command = program.command(name).description(description).exitOverride();
    if (load.includes(name)) (await loadVerb(name)).define(command);
  }
  return program;
}

/** The verbs a command line names: the verb itself, or the one `help VERB` asks about. */
function verbsIn(argv: readonly string[]): string[] {
  const [first, second] = argv.slice(2);
  const named = first === 'help' ? second : first;
  return named && Object.hasOwn(VERBS, named) ? [named] : [];
}

// A reader that stops early (`chartkeeper runs | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await (await buildProgram(verbsIn(process.argv))).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(error);
  }
}
