import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMULATOR_PLAYLISTS } from '../../emulator/emulator.js';
import { stderrBesidesProgress } from '../../test-support/cli.js';
import { cliSandbox } from '../../test-support/cli-sandbox.js';
import { startAuthenticatingFerretDb } from '../../test-support/ferretdb.js';
import { legacyDocuments } from '../../test-support/legacy-seed.js';
import {
  independentClient,
  mongoTestServer,
  randomDatabaseName,
  withDatabase,
} from '../../test-support/mongo.js';
import { titleFor } from '../../test-support/services.js';

const DAILY = EMULATOR_PLAYLISTS.daily;
const mongo = await mongoTestServer();

describe('flush, export, import and import-seed (built binary)', () => {
  const sandbox = cliSandbox('ck-store-cli-', {
    env: (dir) => ({ CHARTKEEPER_OUTBOX: join(dir, 'outbox') }),
  });
  const databases: string[] = [];
  afterAll(async () => {
    if (!mongo.available) return;
    const admin = independentClient(mongo.value.uri);
    for (const name of databases) await admin.db(name).dropDatabase();
    await admin.close();
    await mongo.value.stop();
  });
  const cli = sandbox.run;

  it('exports to stdout or a file, and refuses what it cannot do with one clear line', async () => {
    expect((await cli(['run'])).code).toBe(0);
    const toStdout = await cli(['export']);
    expect(toStdout.code).toBe(0);
    const lines = toStdout.stdout.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toStrictEqual([
      'chartkeeper-export',
      'capture',
      'chart',
      'run',
    ]);
    expect(toStdout.stderr).toMatch(
      /^Exported 1 captures, 1 charts and 1 runs from the sqlite store /,
    );

    const file = join(sandbox.dir, 'out', 'dump.ndjson');
    const missingDir = await cli(['export', '--output', file]);
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).toMatch(
      /^chartkeeper: Cannot write the export to .*dump\.ndjson: ENOENT/,
    );
    expect(missingDir.stderr.trim().split('\n')).toHaveLength(2);
    expect((await cli(['export', '--json'])).stderr).toMatch(/--json needs --output/);

    const missing = await cli(['import', join(sandbox.dir, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^chartkeeper: cannot read .*nope\.ndjson: no such file\n/);
  });

  it('never exports onto the store or over a file, unless told to replace a file', async () => {
    expect((await cli(['run'])).code).toBe(0);
    const store = join(sandbox.dir, 'store.db');
    const before = readFileSync(store);
    for (const target of [store, `${store}-wal`, 'store.db', './store.db-shm']) {
      for (const force of [[], ['--force']]) {
        const refused = await cli(['export', '-o', target, ...force]);
        expect(refused.code, target).toBe(2);
        expect(refused.stderr).toMatch(
          /is the store's own file; exporting onto it would destroy the store/,
        );
      }
    }
    expect(readFileSync(store).equals(before)).toBe(true);
    expect(JSON.parse((await cli(['runs', '--json'])).stdout).runs).toHaveLength(1);

    const file = join(sandbox.dir, 'mine.ndjson');
    writeFileSync(file, 'my own notes\n');
    const kept = await cli(['export', '-o', file]);
    expect(kept.code).toBe(2);
    expect(kept.stderr).toMatch(
      /mine\.ndjson already exists; it was left as it is\.\n {2}.*--force/,
    );
    expect(readFileSync(file, 'utf8')).toBe('my own notes\n');

    // What an export killed before it finished (kill -9) left behind is cleared by the next one;
    // the file of an export still running is not touched.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(sandbox.dir, `.mine.ndjson.${dead}.partial`), 'half');
    const running = join(sandbox.dir, `.mine.ndjson.${process.pid}.partial`);
    writeFileSync(running, 'in progress');
    const replaced = await cli(['export', '-o', file, '--force', '--json']);
    expect(readdirSync(sandbox.dir).filter((name) => name.includes('partial'))).toStrictEqual([
      `.mine.ndjson.${process.pid}.partial`,
    ]);
    rmSync(running);
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({
      ok: true,
      captures: 1,
      charts: 1,
      runs: 1,
    });
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/"type":"chartkeeper-export"/);
    // Nothing left over from writing.
    expect(readdirSync(sandbox.dir).filter((name) => name.includes('partial'))).toStrictEqual([]);
  });

  it('flushes an empty outbox, saying so', async () => {
    const result = await cli(['flush', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, captures: 0, runs: 0, waiting: 0 });
  });

  describe.skipIf(!mongo.available)(titleFor('with MongoDB', mongo), () => {
    const uri = mongo.available ? mongo.value.uri : '';
    const database = () => {
      databases.push(randomDatabaseName('ck_cli'));
      return databases.at(-1)!;
    };

    it('moves a SQLite store into MongoDB and back with export and import, twice without duplicates', async () => {
      expect((await cli(['run'])).code).toBe(0);
      const file = join(sandbox.dir, 'dump.ndjson');
      const exported = await cli(['export', '--output', file, '--json']);
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({
        ok: true,
        captures: 1,
        charts: 1,
        runs: 1,
      });

      const target = { CHARTKEEPER_STORE: withDatabase(uri, database()) };
      const first = await cli(['import', file], target);
      expect(stderrBesidesProgress(first.stderr)).toBe('');
      expect(first.stdout).toMatch(
        /^Imported 1 captures, 1 charts and 1 runs into the mongodb store mongodb:\/\/.*; already there: 0 captures, 0 charts and 0 runs\.\n$/,
      );
      const again = JSON.parse((await cli(['import', file, '--json'], target)).stdout);
      expect(again).toMatchObject({
        imported: { captures: 0, charts: 0, runs: 0 },
        unchanged: { captures: 1, charts: 1, runs: 1 },
      });
      const chart = JSON.parse((await cli(['chart', '--json'], target)).stdout);
      expect(chart.entries).toHaveLength(50);
      const back = join(sandbox.dir, 'back.ndjson');
      expect((await cli(['export', '-o', back], target)).code).toBe(0);
      const sorted = (path: string) =>
        readFileSync(path, 'utf8').trim().split('\n').slice(1).sort();
      expect(sorted(back)).toStrictEqual(sorted(file));
    });

    it("imports the original system's documents, counting what it skips and why", async () => {
      const db = database();
      const admin = independentClient(uri);
      const pages = await legacyDocuments(['2024-11-19', '2024-11-20']);
      const { href: _, ...noHref } = pages[1]!;
      await admin
        .db(db)
        .collection('currency_collection')
        .insertMany([{ ...pages[0] }, { ...noHref }]);
      await admin.close();
      const seed = (...extra: string[]) =>
        cli(['import-seed', '--from', uri, '--db', db, ...extra]);

      const first = await seed();
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(
        /^Read 2 documents from mongodb:\/\/.*\/ck_cli_\w+\.currency_collection into .*store\.db: 1 captures imported/,
      );
      expect(stderrBesidesProgress(first.stderr)).toBe(
        'chartkeeper: 1 document skipped: they name no playlist (their page has no href; give --playlist ID)\n',
      );
      const second = await seed('--playlist', DAILY, '--json');
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({
        ok: true,
        documents: 2,
        captures: { imported: 1, duplicates: 1 },
        charts: { written: 1, kept: 1 },
      });
      const chart = JSON.parse((await cli(['chart', '--json'])).stdout);
      expect(chart).toMatchObject({ chartId: DAILY, chartDate: '2024-11-20' });
      expect(chart.entries.some((e: { daysOnChart: number }) => e.daysOnChart === 2)).toBe(true);

      const empty = await cli([
        'import-seed',
        '--from',
        uri,
        '--db',
        db,
        '--collection',
        'nothing',
      ]);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/^chartkeeper: mongodb:\/\/.*\.nothing holds no documents\n/);
      const badUri = await cli(['import-seed', '--from', 'mongodb://u:s3cret-pass@h:nope/x']);
      expect(badUri.code).toBe(2);
      expect(badUri.stderr).toMatch(/^chartkeeper: --from is not a valid MongoDB URI/);
      expect(badUri.stderr).not.toContain('s3cret-pass');
    });
  });

  describe('with MongoDB stopped during `run`', async () => {
    const ferret = await startAuthenticatingFerretDb();
    if (!ferret.available) {
      it.skip(titleFor('keeps the capture in the outbox until flush', ferret), () => {});
      return;
    }
    const server = ferret.value;
    afterAll(() => server.close());
    const port = new URL(server.uri).port;
    const store = (password: string) =>
      `mongodb://ck:${password}@127.0.0.1:${port}/chartkeeper?authSource=admin&serverSelectionTimeoutMS=1000`;

    it('keeps the capture in the outbox, fails the run, and `flush` writes it; never prints the password', async () => {
      const mongoEnv = { CHARTKEEPER_STORE: store('s3cret-pass') };
      await server.stop();
      const run = await cli(['run', '--no-retry'], mongoEnv);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^✗ ${DAILY}: persist-capture failed: MongoDB at mongodb://ck:\\[redacted\\]@127\\.0\\.0\\.1:${port}/chartkeeper is unreachable: .*Capture [\\w-]+ is kept in the outbox .*outbox; the next run or \`chartkeeper flush\` writes it\\.\\n`,
        ),
      );
      expect(readdirSync(join(sandbox.dir, 'outbox')).sort()).toStrictEqual([
        expect.stringMatching(/^capture-.*\.json$/),
        expect.stringMatching(/^run-.*\.json$/),
      ]);
      const stillDown = await cli(['flush'], mongoEnv);
      expect(stillDown.code).toBe(1);
      expect(stillDown.stderr).toMatch(/is unreachable: .*\. 2 records still wait in the outbox /);

      await server.start();
      const wrong = await cli(['runs'], { CHARTKEEPER_STORE: store('wrong-passw0rd') });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(
        /^chartkeeper: MongoDB at mongodb:\/\/ck:\[redacted\]@.* refused access: Authentication failed/,
      );
      const flushed = await cli(['flush'], mongoEnv);
      expect(flushed.stdout).toMatch(
        /^Wrote 1 capture \(1 chart built from them\) and 1 run from the outbox /,
      );
      expect(flushed.code).toBe(0);
      expect(readdirSync(join(sandbox.dir, 'outbox'))).toStrictEqual([]);
      const runs = JSON.parse((await cli(['runs', '--json'], mongoEnv)).stdout).runs;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ state: 'failed', error: { code: 'store-unavailable' } });
      const chart = JSON.parse((await cli(['chart', '--json'], mongoEnv)).stdout);
      expect(chart.entries).toHaveLength(50);
      expect((await cli(['flush'], mongoEnv)).stdout).toMatch(/^Nothing waits in the outbox /);
      for (const output of [run, stillDown, wrong, flushed]) {
        expect(`${output.stdout}${output.stderr}`).not.toMatch(/s3cret-pass|wrong-passw0rd/);
      }
    }, 60_000);
  });
});
