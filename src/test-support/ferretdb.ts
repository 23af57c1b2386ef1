import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Service, unavailable } from './services.js';

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
  return join(cache, 'ferretdb-v1.24.2');
}

/**
 * Starts a private FerretDB on a free loopback port (SQLite backend, temporary data directory).
 * `args` adds flags, for example to require authentication.
 */
export async function startPrivateFerretDb(
  args: string[] = [],
  options: { quiet?: boolean } = {},
): Promise<Service<PrivateFerretDb>> {
  const binary = ferretDbBinary();
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    const reason = `no FerretDB binary at ${binary}; build it with scripts/ferretdb.sh build, or set FERRETDB_BIN`;
    return options.quiet ? { available: false, reason } : unavailable('FerretDB', reason);
  }
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'ck-ferretdb-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child && child.exitCode === null) return;
    // Through a shell that kills FerretDB when its stdin closes: on stop(), and also when the
    // test process goes away without running its hooks (a name filter, a crash).
    child = spawn('sh', ['-c', WATCHDOG, binary, ...ferretArgs(data, port), ...args], {
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
  await start();
  return {
    available: true,
    value: {
      uri: `mongodb://127.0.0.1:${port}/`,
      stop,
      start,
      close: async () => {
        await stop();
        rmSync(data, { recursive: true, force: true });
      },
    },
  };
}

/** A private FerretDB requiring authentication: user `ck`, password `s3cret-pass`, in `admin`. */
export function startAuthenticatingFerretDb(): Promise<Service<PrivateFerretDb>> {
  return startPrivateFerretDb([
    '--test-enable-new-auth',
    '--setup-database=admin',
    '--setup-username=ck',
    '--setup-password=s3cret-pass',
  ]);
}

/** Runs "$0" "$@" in the background; SIGKILLs it (a crash, as far as clients can tell) on EOF. */
const WATCHDOG = '"$0" "$@" & pid=$!; read -r _; kill -9 "$pid" 2>/dev/null; wait "$pid"; exit 0';

function ferretArgs(data: string, port: number): string[] {
  return [
    '--handler=sqlite',
    `--sqlite-url=file:${data}/`,
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
