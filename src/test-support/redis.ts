import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { type Service, unavailable } from './services.js';

/** A Redis for tests: its URL, and how to stop it (a no-op for one given in REDIS_URL). */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Redis for a test file: REDIS_URL when set, else a private `redis-server` on a free loopback
 * port with persistence off, stopped by `stop()`. Tests share it, so each uses its own queue name.
 */
export async function startRedis(): Promise<Service<TestRedis>> {
  const given = process.env.REDIS_URL?.trim();
  if (given) return { available: true, value: { url: given, stop: async () => {} } };
  return startRedisServer();
}

export interface RedisServerOptions {
  /** The port (default: a free one); start a server on the port of a stopped one to restart it. */
  port?: number;
  /** Keeps the data in an append-only file in this directory, as a persistent Redis does. */
  persistIn?: string;
}

/** A private `redis-server` of the test's own, which the test may stop and start again. */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<Service<TestRedis>> {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    return unavailable('Redis', 'REDIS_URL is not set and redis-server is not installed');
  }
  const port = options.port ?? (await freePort());
  const persistence = options.persistIn
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.persistIn]
    : ['--appendonly', 'no'];
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await readyLine(child, /Ready to accept connections/, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    return unavailable('Redis', `redis-server did not start: ${(error as Error).message}`);
  }
  return {
    available: true,
    value: {
      url: `redis://127.0.0.1:${port}`,
      stop: async () => {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      },
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function readyLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () =>
        reject(new Error(`no "${pattern.source}" within ${timeoutMs} ms: ${output.slice(-300)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${output.slice(-300)}`));
    });
  });
}
