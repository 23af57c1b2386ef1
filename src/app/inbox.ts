import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { chartDateOf } from '../domain/chart-date.js';
import { CHART_FILE_IMPORT_LEASE } from '../domain/chart-file.js';
import { ChartkeeperError } from '../domain/errors.js';
import type { ChartFiles } from '../domain/ports/chart-files.js';
import { newRun, type Run } from '../domain/run.js';
import {
  appendLog,
  failTask,
  finishRun,
  startRun,
  startTask,
  succeedTask,
  taskOf,
} from '../domain/run-transitions.js';
import { SOURCES } from '../domain/sources.js';
import { takeLease } from '../services/capture/chart-lease.js';
import type { AppContext } from './context.js';
import { type FileImportResult, importOne } from './import-files.js';

/**
 * The key of an inbox import run while it reads its file, and after when the file held no chart
 * (its lease is CHART_FILE_IMPORT_LEASE); an import that stored charts is recorded under the
 * chart key it imported (see `record`).
 */
export const INBOX_KEY = { source: SOURCES.spotifyCharts, chartId: 'inbox' };
/** Where a file waits while it is imported (claimed by renaming it there). */
const IMPORTING = '.importing';
/** Names browsers and copy tools give files still being written. */
const UNFINISHED = /\.(part|partial|crdownload|download|tmp|swp)$/i;
/** Rejected lines written to a run's log; the whole list goes beside a rejected file. */
const REJECTS_LOGGED = 20;

/** A watched inbox folder, and how to stop watching. */
export interface Inbox {
  readonly dir: string;
  stop(): Promise<void>;
}

/**
 * Watches `inbox.dir` for chart files (`serve`): a file whose size and time of change stayed the
 * same over one poll is claimed (renamed into `.importing/`, so two processes never import the
 * same file), imported, recorded in the run ledger as an `import` run, and moved to `done/`, or
 * to `rejected/` with a `.reason.txt` beside it when nothing of it could be imported. Polling
 * rather than fs.watch: it behaves alike on every platform and network folder, and a download
 * still being written is seen growing.
 */
export function watchInbox(ctx: AppContext, files: ChartFiles): Inbox {
  const dir = ctx.config.inbox.dir;
  if (!dir) throw new Error('watchInbox needs inbox.dir');
  mkdirSync(dir, { recursive: true });
  const seen = new Map<string, string>();
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const poll = async () => {
    if (hasClaimed(dir)) await recoverUnderLease(ctx, dir);
    for (const name of candidates(dir)) {
      if (stopped) return;
      const path = join(dir, name);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (!stats?.isFile()) continue;
      const signature = `${stats.size}:${stats.mtimeMs}`;
      if (seen.get(name) !== signature) {
        seen.set(name, signature);
        continue;
      }
      seen.delete(name);
      await importFromInbox(ctx, files, dir, name);
    }
  };
  const timer = setInterval(() => {
    current = current
      .then(poll)
      .catch((error: unknown) => ctx.logger.error(`inbox ${dir}: ${(error as Error).message}`));
  }, ctx.config.inbox.pollMs);
  return {
    dir,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

function candidates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !UNFINISHED.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Files a process claimed and never finished (it died, or its store failed): back into the inbox,
 * under a name of their own if the inbox holds the same name again. Called with the inbox lease
 * held, so no import is under way.
 */
function recoverClaimed(ctx: AppContext, dir: string): void {
  const claimed = join(dir, IMPORTING);
  if (!existsSync(claimed)) return;
  for (const name of readdirSync(claimed)) {
    renameSync(join(claimed, name), freeName(dir, name));
    ctx.logger.warn(`inbox: ${name} was left part-imported; it will be imported again`);
  }
}

function hasClaimed(dir: string): boolean {
  const claimed = join(dir, IMPORTING);
  return existsSync(claimed) && readdirSync(claimed).length > 0;
}

/** Brings back files left claimed, once no import holds the lease (its holder died). */
async function recoverUnderLease(ctx: AppContext, dir: string): Promise<void> {
  const taken = await takeLease(ctx.coordination, CHART_FILE_IMPORT_LEASE);
  if (!taken.held) return;
  try {
    recoverClaimed(ctx, dir);
  } finally {
    await taken.lease.release();
  }
}

/** Imports one file of the inbox under the inbox lease, recording the run. */
async function importFromInbox(
  ctx: AppContext,
  files: ChartFiles,
  dir: string,
  name: string,
): Promise<void> {
  const taken = await takeLease(ctx.coordination, CHART_FILE_IMPORT_LEASE);
  if (!taken.held) return; // Another process imports now; the next poll tries again.
  try {
    recoverClaimed(ctx, dir);
    mkdirSync(join(dir, IMPORTING), { recursive: true });
    const claimed = join(dir, IMPORTING, name);
    try {
      renameSync(join(dir, name), claimed);
    } catch {
      return; // Gone meanwhile (claimed by another process, or removed).
    }
    try {
      await importClaimed(ctx, files, dir, name, claimed);
    } catch (error) {
      // The store failed: the file goes back to wait for the next poll, nothing of it lost.
      if (existsSync(claimed)) renameSync(claimed, freeName(dir, name));
      throw error;
    }
  } finally {
    await taken.lease.release();
  }
}

async function importClaimed(
  ctx: AppContext,
  files: ChartFiles,
  dir: string,
  name: string,
  claimed: string,
): Promise<void> {
  const now = () => new Date().toISOString();
  const run = newRun({ id: randomUUID(), key: INBOX_KEY, trigger: 'import', createdAt: now() });
  startRun(run, chartDateOf(new Date(), ctx.config.timezone), now());
  startTask(run, 'import', now());
  await ctx.ledger.saveRun(run);
  ctx.events.emit('run-started', { run });
  let result: FileImportResult;
  try {
    result = await importOne(ctx, files, claimed, { inputs: [claimed] });
  } catch (error) {
    if (!(error instanceof ChartkeeperError) || /^(store|outbox)-/.test(error.code)) throw error;
    result = {
      file: claimed,
      format: null,
      charts: 0,
      rows: 0,
      imported: 0,
      duplicates: 0,
      rejected: [],
      error: error.message,
    };
  }
  const useful = !result.error && result.imported + result.duplicates > 0;
  const target = join(dir, useful ? 'done' : 'rejected');
  mkdirSync(target, { recursive: true });
  const moved = freeName(target, name);
  renameSync(claimed, moved);
  if (!useful) writeFileSync(`${moved}.reason.txt`, reasonText(name, result));
  record(run, result, moved, now());
  await ctx.ledger.saveRun(run);
  ctx.events.emit('run-finished', { run });
  ctx.logger.info(
    { runId: run.id },
    `inbox: ${name}: ${result.error?.replace(/\.$/, '') ?? `${result.imported} rows imported, ${result.duplicates} already there, ${result.rejected.length} rejected`}; moved to ${moved}`,
  );
}

/** The run's outcome as it is: nothing stored is a failure. */
function record(run: Run, result: FileImportResult, moved: string, at: string): void {
  const task = taskOf(run, 'import');
  run.entryCount = result.imported;
  if (result.lastDate) run.chartDate = result.lastDate;
  const log = (level: 'info' | 'warn', message: string) => appendLog(task, { at, level, message });
  // One run per file, under the chart it imported, so that it links to the chart and filters by
  // it; a file of several charts (the 2017-2021 dataset) is recorded under its first, the others
  // named in the log.
  const [first, ...others] = result.chartIds ?? [];
  if (first) {
    run.source = SOURCES.spotifyCharts;
    run.chartId = first;
  }
  if (others.length > 0) {
    log(
      'info',
      `the file holds ${others.length + 1} charts; this run is listed under the first, ${first}; the others: ${others.slice(0, 20).join(', ')}${others.length > 20 ? ', …' : ''}`,
    );
  }
  log(
    'info',
    `${basename(moved)} (${result.format ?? 'unreadable'}): ${result.rows} rows in ${result.charts} chart(s): ${result.imported} imported, ${result.duplicates} already there, ${result.rejected.length} rejected; moved to ${moved}`,
  );
  for (const bad of result.rejected.slice(0, REJECTS_LOGGED))
    log('warn', `line ${bad.line}: ${bad.reason}`);
  if (result.rejected.length > REJECTS_LOGGED) {
    log('warn', `${result.rejected.length - REJECTS_LOGGED} more rejected lines`);
  }
  if (result.error || result.imported + result.duplicates === 0) {
    const error = {
      code: 'import-invalid' as const,
      message: (result.error ?? `nothing of ${basename(moved)} could be imported`).replace(
        /\.$/,
        '',
      ),
      hint: `The file was moved to ${moved}; the reason is beside it.`,
      permanent: true,
    };
    failTask(run, 'import', error, at);
    finishRun(run, error, at);
    return;
  }
  succeedTask(run, 'import', at);
  finishRun(run, null, at);
}

function reasonText(name: string, result: FileImportResult): string {
  const why = (result.error ?? 'no row of it could be imported').replace(/\.$/, '');
  const lines = [
    result.imported > 0
      ? `${name} was imported only in part (${result.imported} rows): ${why}. Once it is fixed, drop it into the inbox again: the rows already imported are recognised and only the rest is added.`
      : `${name} was not imported: ${why}.`,
  ];
  if (/--chart|--date/.test(why)) {
    lines.push(
      'In the inbox, name the file as the site names downloads (for example regional-global-daily-2024-11-29.csv), or import it with: chartkeeper import FILE --chart ID --date YYYY-MM-DD',
    );
  }
  for (const bad of result.rejected) lines.push(`line ${bad.line}: ${bad.reason}`);
  return `${lines.join('\n')}\n`;
}

/** `name` in `dir`, or `name-2`, `name-3`… when taken: a file is never overwritten. */
function freeName(dir: string, name: string): string {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = join(dir, name);
  for (let n = 2; existsSync(candidate); n++) candidate = join(dir, `${stem}-${n}${extension}`);
  return candidate;
}
