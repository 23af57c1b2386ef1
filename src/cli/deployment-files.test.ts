import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_KEYS } from '../config/load.js';
import { type Service, titleFor, unavailable } from '../test-support/services.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

// No Docker engine runs here: Debian's docker-compose parses and resolves the file without one.
function findCompose(): Service<string> {
  const found = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  return found.error || found.status !== 0
    ? unavailable('docker-compose', 'the docker-compose command is not installed')
    : { available: true, value: 'docker-compose' };
}
const compose = findCompose();

/** `docker-compose config` of compose.yaml with these profiles, as an object. */
async function resolved(profiles: string[], env: Record<string, string> = {}) {
  const args = ['-f', join(ROOT, 'compose.yaml'), ...profiles.flatMap((p) => ['--profile', p])];
  const { stdout } = await exec('docker-compose', [...args, 'config'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, CHARTKEEPER_UI_TOKEN: 'x'.repeat(32), ...env },
  });
  return parse(stdout);
}

describe.skipIf(!compose.available)(titleFor('compose.yaml', compose), () => {
  it('parses with every profile, alone and together', async () => {
    for (const profiles of [[], ['mongo'], ['distributed'], ['mongo', 'distributed']]) {
      const config = await resolved(profiles);
      expect(Object.keys(config.services).sort()).toEqual(['mongo', 'redis', 'serve', 'worker']);
    }
  });

  it('runs serve alone by default; mongo and distributed add their services', async () => {
    const { services } = await resolved([]);
    expect(services.serve.profiles).toBeUndefined();
    expect(services.mongo.profiles).toEqual(['mongo']);
    expect(services.redis.profiles).toEqual(['distributed']);
    expect(services.worker.profiles).toEqual(['distributed']);
    expect(services.serve.command).toEqual(['serve']);
    expect(services.worker.command).toEqual(['worker']);
  });

  it('configures Redis as BullMQ needs it and makes workers wait for Redis and serve', async () => {
    const { services } = await resolved(['distributed']);
    const redis = services.redis.command.join(' ');
    expect(redis).toContain('--maxmemory-policy noeviction');
    expect(redis).toContain('--appendonly yes');
    expect(services.worker.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      serve: { condition: 'service_healthy' },
    });
    for (const name of ['serve', 'mongo', 'redis']) {
      expect(services[name].healthcheck.test.length, name).toBeGreaterThan(1);
    }
    // A worker has no port: the image's check on /healthz must not mark it unhealthy.
    expect(services.worker.healthcheck).toEqual({ test: ['NONE'] });
    expect(Object.keys((await resolved([])).volumes ?? {}).sort()).toEqual([
      'chartkeeper-data',
      'mongo-data',
      'redis-data',
    ]);
  });

  it('takes secrets from the environment (.env) and refuses to start without a UI token', async () => {
    const { services } = await resolved([], { SPOTIFY_CLIENT_SECRET: 'from-the-env-file-123' });
    expect(services.serve.environment.SPOTIFY_CLIENT_SECRET).toBe('from-the-env-file-123');
    expect(read('compose.yaml')).not.toMatch(/^\s+\w*(SECRET|TOKEN): (?!\$\{)/m);
    const missing = await exec('docker-compose', ['-f', join(ROOT, 'compose.yaml'), 'config'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
    }).catch((error: { stderr: string }) => error);
    expect(String((missing as { stderr: string }).stderr)).toContain('CHARTKEEPER_UI_TOKEN');
  });
});

describe('.env.example', () => {
  it('lists every variable chartkeeper reads, with no value filled in for a secret', () => {
    const example = read('.env.example');
    for (const name of [...Object.keys(ENVIRONMENT_KEYS), 'CHARTKEEPER_CONFIG']) {
      expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
    }
    for (const secret of ['SPOTIFY_CLIENT_SECRET', 'CHARTKEEPER_UI_TOKEN']) {
      expect(example).toMatch(new RegExp(`^${secret}=$`, 'm'));
    }
  });
});

describe('Dockerfile', () => {
  const lint = (file: string) =>
    exec(join(ROOT, 'node_modules/.bin/dockerfile-utils'), ['lint', file]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('passes the linter without a warning (and the linter catches a broken one)', async () => {
    expect(await lint(join(ROOT, 'Dockerfile'))).toEqual({ code: 0, stdout: '' });
    const dir = mkdtempSync(join(tmpdir(), 'chartkeeper-dockerfile-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22\nMAINTAINER someone\nHEALTHCHECK CMD\n');
      const broken = await lint(join(dir, 'Dockerfile'));
      expect(broken.code).not.toBe(0);
      expect(broken.stdout).toContain('HEALTHCHECK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds in stages onto a Node LTS image, runs as a non-root user, with a health check on /healthz', () => {
    const file = read('Dockerfile');
    const stages = file.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThan(1);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:(20|22|24)-/);
    expect(file).toMatch(/^USER node$/m);
    expect(file).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(file).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(file).toMatch(/^ENTRYPOINT \["chartkeeper"\]$/m);
    expect(file).toMatch(/npm ci --omit=dev/);
  });
});
