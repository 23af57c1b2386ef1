import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Run } from '../domain/run.js';
import { EMULATOR_PLAYLISTS } from '../emulator/emulator.js';
import { cliSandbox } from '../test-support/cli-sandbox.js';
import { ledgerUntil } from '../test-support/ledger.js';

describe('chartkeeper backup (built binary, SQLite file)', () => {
  const sandbox = cliSandbox('ck-backup-', { openStore: true });
  const cli = sandbox.run;

  it('copies the store while serve writes to it; the copy restores and reads', async () => {
    writeFileSync(
      join(sandbox.dir, 'chartkeeper.config.json'),
      JSON.stringify({ schedule: '* * * * * *', charts: [EMULATOR_PLAYLISTS.daily] }),
    );
    const server = sandbox.start(['serve']);
    await server.waitFor(/serving:/);
    const succeeded = (runs: Run[]) => runs.filter((run) => run.state === 'succeeded');
    await ledgerUntil(sandbox.store, (runs) => succeeded(runs).length >= 2, 60_000, 'two runs');

    // Taken while serve keeps capturing every second.
    const backups = ['first.db', 'second.db'].map((name) => join(sandbox.dir, name));
    for (const backup of backups) {
      const made = await cli(['backup', '--to', backup, '--json']);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      expect(JSON.parse(made.stdout)).toMatchObject({ ok: true, file: backup });
    }
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(readdirSync(sandbox.dir).filter((file) => file.includes('.partial-'))).toEqual([]);

    // Restored as the README says: the copy becomes the store file of a stopped chartkeeper.
    const restored = join(sandbox.dir, 'restored.db');
    copyFileSync(backups[1] as string, restored);
    const env = { CHARTKEEPER_STORE: restored };
    const runs = await cli(['runs', '--json'], env);
    expect(runs.code).toBe(0);
    const listed = JSON.parse(runs.stdout).runs as Run[];
    expect(succeeded(listed).length).toBeGreaterThanOrEqual(2);
    const chart = await cli(['chart', '--json'], env);
    expect(chart.code).toBe(0);
    expect(JSON.parse(chart.stdout).entries.length).toBeGreaterThan(0);
  });

  it('never replaces a file without --force, and refuses the store itself and MongoDB', async () => {
    await cli(['run']);
    const target = join(sandbox.dir, 'mine.txt');
    writeFileSync(target, 'a file of the user');
    const refused = await cli(['backup', '--to', target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists; it was left as it is');
    expect(refused.stderr).toContain('--force');
    const replaced = await cli(['backup', '--to', target, '--force']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/^backed up sqlite store .* to .*mine\.txt/);

    const itself = await cli(['backup', '--to', join(sandbox.dir, 'store.db')]);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain('is the store itself');
    for (const suffix of ['-wal', '-shm', '-journal']) {
      const own = await cli(['backup', '--to', join(sandbox.dir, `store.db${suffix}`), '--force']);
      expect(own.code, suffix).toBe(2);
      expect(own.stderr).toContain("is one of the store's own files");
    }
    const unwritable = await cli(['backup', '--to', '/proc/chartkeeper-backup.db']);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain('may not write into /proc');
    const nowhere = await cli(['backup', '--to', join(sandbox.dir, 'no', 'such', 'x.db')]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('does not exist');
    expect(existsSync(join(sandbox.dir, 'no'))).toBe(false);

    const mongo = await cli(['backup', '--to', join(sandbox.dir, 'm.db')], {
      CHARTKEEPER_STORE: 'mongodb://127.0.0.1:9/chartkeeper',
    });
    expect(mongo.code).not.toBe(0);
    expect(mongo.stderr).not.toMatch(/\n\s+at /);
  });
});
