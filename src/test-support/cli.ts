import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emulatorEnvironment } from '../emulator/environment.js';

/** The built CLI entry point (npm test builds before testing). */
export const CLI = fileURLToPath(new URL('../../bin/chartkeeper.cjs', import.meta.url));

/**
 * What every chartkeeper started by a test gets besides its own variables: the PATH, no colours,
 * any free port for the web UI, and the run's own cache folder (global-setup.ts makes it and removes it afterwards), so the
 * code cache of bin/code-cache.cjs is used as on a user's machine but leaves nothing behind.
 */
export function cliBaseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NO_COLOR: '1',
    XDG_CACHE_HOME: process.env.CHARTKEEPER_TEST_CACHE,
    // `serve` answers its web UI on a free port: tests run side by side.
    CHARTKEEPER_PORT: '0',
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real chartkeeper binary as a child process, asynchronously so that servers living in
 * the test process (the emulator) keep answering it.
 */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: options.cwd,
        env: { ...cliBaseEnv(), ...options.env },
        timeout: options.timeoutMs ?? 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** An environment pointing chartkeeper at the emulator's credentials and URLs, plus `overrides`. */
export const emulatorEnv = emulatorEnvironment;

/**
 * What a command wrote on stderr besides its progress lines ("imported 3 captures…"), which
 * appear only when the work takes over a second, as it may on a busy machine.
 */
export function stderrBesidesProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^(imported|exported|read) .*[….]$/.test(line))
    .join('\n');
}
