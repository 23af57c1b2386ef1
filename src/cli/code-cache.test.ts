import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';

// bin/code-cache.cjs: a verb's bundle runs with V8's code cache kept in the user's cache folder.
describe('code cache of the command line', () => {
  let home: string;
  let folder: string;
  const run = (env: NodeJS.ProcessEnv = {}) =>
    runCli(['runs', '--help'], { env: { XDG_CACHE_HOME: home, ...env } });
  const cacheFiles = () => (existsSync(folder) ? readdirSync(folder).sort() : []);

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'ck-code-cache-'));
    folder = join(home, 'chartkeeper', 'code-cache');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('writes the cache on the first start, private to the user, and reads it on the next', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^runs-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8$/);
    const file = join(folder, files[0] ?? '');
    expect(statSync(file).size).toBeGreaterThan(1000);
    expect(statSync(file).mode & 0o077).toBe(0);
    const written = statSync(file).mtimeMs;

    const second = await run();
    expect(second).toEqual(first);
    // Accepted as it was: not written again.
    expect(cacheFiles()).toEqual(files);
    expect(statSync(file).mtimeMs).toBe(written);
  });

  it('replaces a damaged cache and removes the caches of older builds', async () => {
    const clean = await run({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(cacheFiles()).toEqual([]);
    await run();
    const [name] = cacheFiles();
    const file = join(folder, name ?? '');
    writeFileSync(file, 'not a code cache');
    writeFileSync(join(folder, 'runs-1-1-v18.0.0-x64.v8'), 'an older build');
    writeFileSync(join(folder, 'runs-extra-1-1-v18.0.0-x64.v8'), 'another bundle');

    const again = await run();
    expect(again).toEqual(clean);
    expect(readFileSync(file, 'utf8')).not.toBe('not a code cache');
    expect(cacheFiles()).toEqual([name, 'runs-extra-1-1-v18.0.0-x64.v8'].sort());
  });
});
