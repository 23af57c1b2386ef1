import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChartkeeperError } from '../../domain/errors.js';
import type { UserLogin } from '../../domain/user-login.js';
import { CredentialsFile } from './credentials-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function place(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ck-credentials-'));
  dirs.push(dir);
  return dir;
}

const LOGIN: UserLogin = {
  clientId: 'client-1',
  refreshToken: 'AQ-refresh-token-of-the-test-0123456789',
  userId: 'toplists-fan',
  displayName: 'Toplists Fan',
  scopes: ['playlist-read-private'],
  loggedInAt: '2026-11-01T00:00:00.000Z',
  refreshExpiresAt: '2027-05-01T00:00:00.000Z',
  ended: null,
};

const mode = (path: string) => statSync(path).mode & 0o777;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the credentials file', () => {
  it('is written 0600 in a new 0700 folder, atomically, and read back', async () => {
    const file = join(place(), 'config', 'chartkeeper', 'credentials.json');
    const store = new CredentialsFile(file);
    expect(await store.read()).toBeNull();
    await store.write(LOGIN);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(file, '..'))).toBe(0o700);
    expect(await store.read()).toEqual(LOGIN);
    await store.write({ ...LOGIN, refreshToken: 'AQ-a-newer-refresh-token-0123456789' });
    expect((await store.read())?.refreshToken).toBe('AQ-a-newer-refresh-token-0123456789');
    // No temporary file is left behind.
    expect(readdirSync(join(file, '..'))).toEqual(['credentials.json']);
    expect(await store.remove()).toBe(true);
    expect(await store.remove()).toBe(false);
  });

  it("tightens a file created by hand, and chartkeeper's own folder, but not a folder the user chose", async () => {
    const own = join(place(), 'chartkeeper');
    mkdirSync(own, { mode: 0o755 });
    writeFileSync(join(own, 'credentials.json'), '{}', { mode: 0o644 });
    await new CredentialsFile(join(own, 'credentials.json')).write(LOGIN);
    expect(mode(own)).toBe(0o700);
    expect(mode(join(own, 'credentials.json'))).toBe(0o600);
    const chosen = place();
    const before = mode(chosen);
    await new CredentialsFile(join(chosen, 'login.json')).write(LOGIN);
    expect(mode(chosen)).toBe(before);
    expect(mode(join(chosen, 'login.json'))).toBe(0o600);
  });

  it.each([
    ['not JSON', '{"version":1,', 'it is not JSON'],
    ['another shape', '{"version":1,"token":"x"}', 'not a chartkeeper credentials file'],
    [
      'a bad date',
      JSON.stringify({ version: 1, ...LOGIN, loggedInAt: 'yesterday' }),
      'at "loggedInAt"',
    ],
  ])('refuses a file that is %s with a message saying what to do', async (_case, text, said) => {
    const file = join(place(), 'credentials.json');
    writeFileSync(file, text);
    const error = await new CredentialsFile(file).read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChartkeeperError);
    expect((error as ChartkeeperError).message).toContain(said);
    expect((error as ChartkeeperError).message).toContain(file);
    expect((error as ChartkeeperError).hint).toContain('chartkeeper auth login');
  });

  it('runs exclusive work one at a time between two holders of the same file', async () => {
    const file = join(place(), 'credentials.json');
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const hold = (name: string) =>
      new CredentialsFile(file).exclusive(async () => {
        log.push(`${name} in`);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        log.push(`${name} out`);
      });
    const both = Promise.all([hold('a'), hold('b')]);
    await until(() => log.length >= 1);
    // The other polls the lock file meanwhile; it would be in by now if the lock let it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log).toHaveLength(1);
    const first = (log[0] as string).split(' ')[0] as string;
    const second = first === 'a' ? 'b' : 'a';
    gates.get(first)?.();
    await until(() => log.length === 3);
    gates.get(second)?.();
    await both;
    expect(log).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    expect(readdirSync(join(file, '..'))).toEqual([]);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const file = join(place(), 'credentials.json');
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid, host: (await import('node:os')).hostname(), since: Date.now() }),
    );
    let ran = false;
    await new CredentialsFile(file).exclusive(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
