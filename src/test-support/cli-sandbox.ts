import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { SqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import type { ChartStore } from '../domain/ports/chart-store.js';
import { type RunningEmulator, startEmulator } from '../emulator/emulator.js';
import { type CliResult, emulatorEnv, runCli } from './cli.js';
import { type CliProcess, killAllStarted, startCli } from './cli-process.js';

/** What a test of the built CLI works with; read it inside hooks and tests only. */
export interface CliSandbox {
  /** The emulator the suite shares, without faults at the start of each test. */
  readonly emulator: RunningEmulator;
  /** This test's own temporary directory, removed after it. */
  readonly dir: string;
  /** Points chartkeeper at the emulator and at store.db in `dir`. */
  readonly env: NodeJS.ProcessEnv;
  /** The SQLite store at store.db, open during each test (with `openStore` only). */
  readonly store: ChartStore;
  /** Runs `chartkeeper <args>` in `dir` with `env` and `extra` to completion. */
  run(args: string[], extra?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Starts `chartkeeper <args>` in `dir` with `env`; killed after the test if still running. */
  start(args: string[], env?: NodeJS.ProcessEnv, options?: { stdin?: boolean }): CliProcess;
}

/** Options of cliSandbox. */
export interface CliSandboxOptions {
  /** Variables added to `env`, given this test's directory. */
  env?: (dir: string) => NodeJS.ProcessEnv;
  /** Opens `store` before each test and closes it after. */
  openStore?: boolean;
}

/**
 * Registers the hooks of a suite that runs the built CLI: one emulator for the suite and, for each
 * test, a fresh directory named `prefix…`; after each test, started processes are killed, the store
 * is closed and the directory removed.
 */
export function cliSandbox(prefix: string, options: CliSandboxOptions = {}): CliSandbox {
  let emulator: RunningEmulator | undefined;
  let dir: string | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  let store: ChartStore | undefined;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    const started = defined(emulator, 'emulator');
    started.clearFaults();
    dir = mkdtempSync(join(tmpdir(), prefix));
    env = emulatorEnv(started, {
      CHARTKEEPER_STORE: join(dir, 'store.db'),
      ...options.env?.(dir),
    });
    if (options.openStore) store = SqliteStore.open(join(dir, 'store.db'));
  });
  afterEach(async () => {
    killAllStarted();
    await store?.close();
    store = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const sandbox: CliSandbox = {
    get emulator() {
      return defined(emulator, 'emulator');
    },
    get dir() {
      return defined(dir, 'dir');
    },
    get env() {
      return defined(env, 'env');
    },
    get store() {
      return defined(store, 'store (pass openStore)');
    },
    run: (args, extra = {}) =>
      runCli(args, { cwd: sandbox.dir, env: { ...sandbox.env, ...extra } }),
    start: (args, extra = {}, options = {}) =>
      startCli(args, { cwd: sandbox.dir, env: { ...sandbox.env, ...extra }, ...options }),
  };
  return sandbox;
}

function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`cliSandbox: no ${what} outside a test`);
  return value;
}
