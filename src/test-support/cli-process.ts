import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, cliBaseEnv } from './cli.js';

/** A long-running chartkeeper process (serve, worker) started from the built binary. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves once the output matches; rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code (null when ended by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process ends by itself. */
  exited(): Promise<number | null>;
}

/** Starts `chartkeeper <args>` as a child process; stop it (or it is killed when the test ends). */
export function startCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: boolean } = {},
): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...cliBaseEnv(), ...options.env },
    // With `stdin`, the test writes to child.stdin (a pasted line) and ends it.
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  running.add(child);
  void exited.then(() => running.delete(child));
  return {
    child,
    pid: child.pid as number,
    output: () => text,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `no ${pattern} from chartkeeper ${args.join(' ')} in ${timeoutMs} ms:\n${text}`,
            ),
          );
        }, timeoutMs);
        const onExit = () => {
          done();
          if (pattern.test(text)) resolve();
          else
            reject(new Error(`chartkeeper ${args.join(' ')} exited before ${pattern}:\n${text}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      }),
    exited: () => exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

const running = new Set<ChildProcess>();

/** Kills every process startCli started that is still running (for afterEach). */
export function killAllStarted(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
