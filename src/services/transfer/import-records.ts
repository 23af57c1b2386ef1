import { isDeepStrictEqual } from 'node:util';
import { ChartkeeperError } from '../../domain/errors.js';
import type { ChartStore, StoreRecord } from '../../domain/ports.js';
import { EXPORT_HEADER_TYPE, EXPORT_VERSION, type RecordCounts } from './export-records.js';

/** What an import did: records added or replaced, and records the store already had. */
export interface ImportSummary {
  imported: RecordCounts;
  unchanged: RecordCounts;
}

/** The fields an import relies on, per record type; the rest is taken as it is. */
const REQUIRED: Record<StoreRecord['type'], { strings: string[]; arrays: string[] }> = {
  capture: {
    strings: ['id', 'source', 'chartId', 'capturedAt', 'chartDate', 'contentHash'],
    arrays: [],
  },
  chart: {
    strings: ['source', 'chartId', 'chartDate', 'title', 'captureId', 'capturedAt'],
    arrays: ['entries', 'skipped'],
  },
  run: { strings: ['id', 'source', 'chartId', 'state', 'createdAt'], arrays: ['tasks'] },
};

/**
 * Reads an export (see exportRecords) into `store`, line by line. Importing is idempotent: a
 * capture id is stored once, a chart or run equal to the stored one is left alone, and a chart
 * the store already has from a later capture is kept. Stops at the first line that is not a
 * record, naming it; what came before is imported, and importing again is safe.
 */
export async function importRecords(
  store: ChartStore,
  lines: AsyncIterable<string>,
  options: { name?: string; progress?: (summary: ImportSummary) => void } = {},
): Promise<ImportSummary> {
  const name = options.name ?? 'the input';
  const summary: ImportSummary = {
    imported: { captures: 0, charts: 0, runs: 0 },
    unchanged: { captures: 0, charts: 0, runs: 0 },
  };
  let number = 0;
  let header = false;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const value = parseLine(line, name, number);
    if (!header) {
      checkHeader(value, name, number);
      header = true;
      continue;
    }
    const record = checkRecord(value, name, number);
    const changed = await importRecord(store, record);
    summary[changed ? 'imported' : 'unchanged'][`${record.type}s`]++;
    options.progress?.(summary);
  }
  if (!header) throw invalid(`${name} is empty`, 'Export with: chartkeeper export --output FILE');
  return summary;
}

/** Saves one record; true when the store changed. */
async function importRecord(store: ChartStore, record: StoreRecord): Promise<boolean> {
  switch (record.type) {
    case 'capture':
      return (await store.saveCapture(record.capture)).created;
    case 'chart': {
      const { chart } = record;
      const existing = await store.getChart(chart, chart.chartDate);
      if (
        existing &&
        (isDeepStrictEqual(existing, chart) || existing.capturedAt > chart.capturedAt)
      ) {
        return false;
      }
      await store.saveChart(chart);
      return true;
    }
    case 'run': {
      if (isDeepStrictEqual(await store.getRun(record.run.id), record.run)) return false;
      await store.saveRun(record.run);
      return true;
    }
  }
}

function parseLine(line: string, name: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw invalid(`${name} line ${number} is not JSON: ${(error as Error).message}`);
  }
}

function checkHeader(value: unknown, name: string, number: number): void {
  const header = value as { type?: unknown; version?: unknown } | null;
  if (header?.type !== EXPORT_HEADER_TYPE) {
    throw invalid(
      `${name} is not a chartkeeper export (line ${number} should be its "${EXPORT_HEADER_TYPE}" header)`,
      "Export with: chartkeeper export --output FILE. To import the original system's MongoDB documents, use chartkeeper import-seed.",
    );
  }
  if (typeof header.version !== 'number' || header.version > EXPORT_VERSION) {
    throw invalid(
      `${name} was written by a newer chartkeeper (export format ${String(header.version)}; this one reads ${EXPORT_VERSION})`,
      'Upgrade chartkeeper to import it.',
    );
  }
}

function checkRecord(value: unknown, name: string, number: number): StoreRecord {
  const where = `${name} line ${number}`;
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== 'capture' && type !== 'chart' && type !== 'run') {
    throw invalid(`${where} is not a capture, chart or run record (type ${JSON.stringify(type)})`);
  }
  const body = (value as Record<string, unknown>)[type] as Record<string, unknown> | undefined;
  const { strings, arrays } = REQUIRED[type];
  const missing = [
    ...strings.filter((field) => typeof body?.[field] !== 'string'),
    ...arrays.filter((field) => !Array.isArray(body?.[field])),
  ];
  if (!body || typeof body !== 'object' || missing.length) {
    throw invalid(`${where}: the ${type} lacks ${missing.join(', ') || 'its fields'}`);
  }
  return value as StoreRecord;
}

function invalid(message: string, hint?: string): ChartkeeperError {
  return new ChartkeeperError('import-invalid', message, {
    hint:
      hint ??
      'Records before it were imported; after fixing the file, importing again is safe (nothing is duplicated).',
    permanent: true,
  });
}
