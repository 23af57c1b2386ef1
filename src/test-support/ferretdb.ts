import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { type Service, unavailable } from './services.js';

const execFileAsync = promisify(execFile);

/** A FerretDB of a test's own, which the test may stop and start again (same port, same data). */
export interface PrivateFerretDb {
  uri: string;
  /** Kills the server, as a crash or an outage would. */
  stop(): Promise<void>;
  /** Starts it again; does nothing while it runs. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/** Where scripts/ferretdb.sh builds FerretDB, unless FERRETDB_BIN names another binary. */
export function ferretDbBinary(): string {
  if (process.env.FERRETDB_BIN) return process.env.FERRETDB_BIN;
  const cache = process.env.CHARTKEEPER_CACHE || join(homedir(), '.cache', 'chartkeeper');
  return join(cache, 'ferretdb-v2.5.0');
}

/** The script that builds FerretDB v2 and starts PostgreSQL with DocumentDB for it. */
const SCRIPT = fileURLToPath(new URL('../../scripts/ferretdb.sh', import.meta.url));

/** A user the authenticating FerretDB knows (see startAuthenticatingFerretDb). */
interface FerretUser {
  name: string;
  password: string;
}

/**
 * Starts a private FerretDB v2 on a free loopback port, on a PostgreSQL (with DocumentDB) of its
 * own in a temporary folder, started by `scripts/ferretdb.sh start-postgres`. Without `user` it
 * requires no authentication; with it, it requires that user, created in `admin`.
 */
export async function startPrivateFerretDb(
  options: { quiet?: boolean; user?: FerretUser } = {},
): Promise<Service<PrivateFerretDb>> {
  const missing = (reason: string): Service<PrivateFerretDb> =>
    options.quiet ? { available: false, reason } : unavailable('FerretDB', reason);
  const binary = ferretDbBinary();
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return missing(
      `no FerretDB binary at ${binary}; build it with scripts/ferretdb.sh build, or set FERRETDB_BIN`,
    );
  }
  const postgres = await startPostgres();
  if (!postgres.available) return missing(postgres.reason);
  const { url, data, watchdog } = postgres.value;
  const port = await freePort();
  let child: ChildProcess | null = null;
  const run = async (auth: boolean) => {
    // Through a shell that kills FerretDB when its stdin closes: on stop(), and also when the
    // test process goes away without running its hooks (a name filter, a crash).
    const flags = [...ferretArgs(url, data, port), ...(auth ? [] : ['--no-auth'])];
    child = spawn('sh', ['-c', WATCHDOG, binary, ...flags], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await waitForPort(port, child);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.stdin?.end();
    await exited;
  };
  const close = async () => {
    await stop();
    const exited = once(watchdog, 'exit');
    watchdog.stdin?.end();
    await exited;
    rmSync(data, { recursive: true, force: true });
  };
  const auth = options.user !== undefined;
  try {
    if (options.user) await createUser(run, stop, port, options.user);
    await run(auth);
  } catch (error) {
    await close();
    return missing(`FerretDB did not start: ${(error as Error).message}`);
  }
  return {
    available: true,
    value: {
      uri: `mongodb://127.0.0.1:${port}/`,
      stop,
      start: async () => {
        if (!child || child.exitCode !== null) await run(auth);
      },
      close,
    },
  };
}

/** Creates `user` in `admin` through FerretDB started for a moment without authentication. */
async function createUser(
  run: (auth: boolean) => Promise<void>,
  stop: () => Promise<void>,
  port: number,
  user: FerretUser,
): Promise<void> {
  await run(false);
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: 10_000,
  });
  try {
    await client
      .db('admin')
      .command({ createUser: user.name, pwd: user.password, roles: ['root'] });
  } finally {
    await client.close();
    await stop();
  }
}

/** A private FerretDB requiring authentication: user `ck`, password `s3cret-pass`, in `admin`. */
export function startAuthenticatingFerretDb(): Promise<Service<PrivateFerretDb>> {
  return startPrivateFerretDb({ user: { name: 'ck', password: 's3cret-pass' } });
}

interface PrivatePostgres {
  url: string;
  data: string;
  /** Stops PostgreSQL and removes its folder when its stdin closes (or this process ends). */
  watchdog: ChildProcess;
}

/** PostgreSQL with DocumentDB of its own, by `scripts/ferretdb.sh start-postgres`. */
async function startPostgres(): Promise<Service<PrivatePostgres>> {
  let output: string;
  try {
    output = (await execFileAsync('bash', [SCRIPT, 'start-postgres'], { encoding: 'utf8' })).stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const reason = stderr.split('\n').at(-1) || (error as Error).message;
    return { available: false, reason: `PostgreSQL for FerretDB did not start: ${reason}` };
  }
  const vars = new Map(
    [...output.matchAll(/export (\w+)=([^;\n]*)/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  const [url, pid, data] = ['FERRETDB_POSTGRESQL_URL', 'PG_PID', 'FERRETDB_DATA'].map((name) =>
    vars.get(name),
  );
  if (!url || !pid || !data) {
    return { available: false, reason: `scripts/ferretdb.sh start-postgres printed: ${output}` };
  }
  const watchdog = spawn('sh', ['-c', PG_WATCHDOG, SCRIPT, pid, data], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return { available: true, value: { url, data, watchdog } };
}

/** Waits for EOF on stdin, then stops the PostgreSQL of "$1" and removes its folder "$2". */
const PG_WATCHDOG = 'read -r _; exec bash "$0" stop "" "$1" "$2"';

/** Runs "$0" "$@" in the background; SIGKILLs it (a crash, as far as clients can tell) on EOF. */
const WATCHDOG = '"$0" "$@" & pid=$!; read -r _; kill -9 "$pid" 2>/dev/null; wait "$pid"; exit 0';

function ferretArgs(postgresUrl: string, data: string, port: number): string[] {
  return [
    `--postgresql-url=${postgresUrl}`,
    `--state-dir=${data}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
  ];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`FerretDB did not listen on port ${port} within 10 s`);
}
