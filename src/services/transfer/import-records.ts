import { ChartkeeperError } from '../../domain/errors.js';
import type { CaptureLog } from '../../domain/ports/capture-log.js';
import type { ChartArchive } from '../../domain/ports/chart-archive.js';
import type { StoreRecord } from '../../domain/ports/record-export.js';
import type { RunLedger } from '../../domain/ports/run-ledger.js';
import { isLaterState } from '../../domain/run.js';
import { describeIssues } from '../../lib/describe-issues.js';
import { storeRecordSchema } from '../../lib/record-schemas.js';
import { EXPORT_HEADER_TYPE, EXPORT_VERSION, type RecordCounts } from './export-records.js';

/** A line of the input that is not a valid record, and why. */
export interface InvalidLine {
  line: number;
  message: string;
}

/** What an import did: records added or replaced, records the store already had, and bad lines. */
export interface ImportSummary {
  imported: RecordCounts;
  unchanged: RecordCounts;
  /** How many lines were not valid records (skipped, or the one that stopped a strict import). */
  invalid: number;
  /** The first few of them, with their line numbers. */
  problems: InvalidLine[];
}

/** Bad lines listed in a summary; the rest are only counted. */
const MAX_PROBLEMS_LISTED = 20;

/** Where imported records go. */
export interface ImportTargets {
  captures: CaptureLog;
  charts: ChartArchive;
  ledger: RunLedger;
}

/**
 * Reads an export (see exportRecords) into the store, line by line. Every record is checked
 * against the schema of stored records first: a line that is not a valid record is skipped and
 * reported with its line number (with `strict`, it stops the import instead), so nothing that
 * would break later reads gets in. Importing is idempotent: a capture id is stored once, a chart
 * or run equal to the stored one is left alone, and a chart the store has from a later capture is
 * kept. A file that is not an export at all (no header) is refused before anything is imported.
 */
export async function importRecords(
  targets: ImportTargets,
  lines: AsyncIterable<string>,
  options: {
    name?: string;
    strict?: boolean;
    progress?: (summary: ImportSummary) => void;
    onInvalid?: (problem: InvalidLine) => void;
  } = {},
): Promise<ImportSummary> {
  const name = options.name ?? 'the input';
  const summary: ImportSummary = {
    imported: { captures: 0, charts: 0, runs: 0 },
    unchanged: { captures: 0, charts: 0, runs: 0 },
    invalid: 0,
    problems: [],
  };
  let number = 0;
  let header = false;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    if (!header) {
      checkHeader(parseHeader(line), name, number);
      header = true;
      continue;
    }
    const checked = checkRecord(line);
    if ('problem' in checked) {
      const problem = { line: number, message: checked.problem };
      summary.invalid++;
      if (summary.problems.length < MAX_PROBLEMS_LISTED) summary.problems.push(problem);
      options.onInvalid?.(problem);
      if (options.strict) {
        throw invalid(`${name} line ${number}: ${checked.problem}`, {
          hint: 'Records before it were imported; without --strict, invalid lines are skipped and reported. Importing again is safe (nothing is duplicated).',
        });
      }
      continue;
    }
    const changed = await importRecord(targets, checked.record);
    summary[changed ? 'imported' : 'unchanged'][`${checked.record.type}s`]++;
    options.progress?.(summary);
  }
  if (!header)
    throw invalid(`${name} is empty`, { hint: 'Export with: chartkeeper export --output FILE' });
  return summary;
}

/** Saves one record; true when the store changed. */
async function importRecord(targets: ImportTargets, record: StoreRecord): Promise<boolean> {
  switch (record.type) {
    case 'capture':
      return (await targets.captures.saveCapture(record.capture)).created;
    case 'chart': {
      const { chart } = record;
      // The stored chart of that day is kept unless the import's comes from a later capture: an
      // import never replaces what is there with something no newer.
      const existing = await targets.charts.getChart(chart, chart.chartDate);
      if (existing && existing.capturedAt >= chart.capturedAt) return false;
      await targets.charts.saveChart(chart);
      return true;
    }
    case 'run': {
      // The stored run is kept when it is the same or a later state (an older export never
      // rolls a finished run back).
      const existing = await targets.ledger.getRun(record.run.id);
      if (existing && !isLaterState(record.run, existing)) return false;
      await targets.ledger.saveRun(record.run);
      return true;
    }
  }
}

function parseHeader(line: string): unknown {
  try {
    // A byte-order mark, as some editors and Windows tools write, is not part of the header.
    return JSON.parse(line.replace(/^\ufeff/, ''));
  } catch {
    return null;
  }
}

function checkHeader(value: unknown, name: string, number: number): void {
  const header = value as { type?: unknown; version?: unknown } | null;
  if (header?.type !== EXPORT_HEADER_TYPE) {
    throw invalid(
      `${name} is not a chartkeeper export (line ${number} should be its "${EXPORT_HEADER_TYPE}" header)`,
      {
        hint: "Export with: chartkeeper export --output FILE. To import the original system's MongoDB documents, use chartkeeper import-seed.",
      },
    );
  }
  if (typeof header.version !== 'number' || header.version > EXPORT_VERSION) {
    throw invalid(
      `${name} was written by a newer chartkeeper (export format ${String(header.version)}; this one reads ${EXPORT_VERSION})`,
      { hint: 'Upgrade chartkeeper to import it.' },
    );
  }
}

function checkRecord(line: string): { record: StoreRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== 'capture' && type !== 'chart' && type !== 'run') {
    return {
      problem: `not a capture, chart or run record (type ${JSON.stringify(type) ?? 'missing'})`,
    };
  }
  const parsed = storeRecordSchema.safeParse(value);
  if (!parsed.success) return { problem: `invalid ${type}: ${describeIssues(parsed.error)}` };
  return { record: parsed.data };
}

function invalid(message: string, options: { hint: string }): ChartkeeperError {
  return new ChartkeeperError('import-invalid', message, { hint: options.hint, permanent: true });
}
