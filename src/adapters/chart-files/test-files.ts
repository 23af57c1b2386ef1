import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartFacts, NormalisedEntry } from '../../domain/chart.js';
import type { ChartFileRow, RejectedLine } from '../../domain/chart-file.js';
import { type ReadChartFileOptions, readChartFile } from './read-chart-file.js';

/** The path of a fixture: files shaped like real downloads. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
}

/** A temporary directory for files a test writes, removed by `remove`. */
export function scratch(): {
  write: (name: string, content: string | Uint8Array) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ck-chart-files-'));
  return {
    write: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every batch of a file, and their rows and rejected lines put together. */
export async function readAll(path: string, options: ReadChartFileOptions = {}) {
  const { format, batches } = await readChartFile(path, options);
  const rows: ChartFileRow[] = [];
  const rejected: RejectedLine[] = [];
  const sizes: number[] = [];
  for await (const batch of batches) {
    rows.push(...batch.rows);
    rejected.push(...batch.rejected);
    sizes.push(batch.rows.length + batch.rejected.length);
  }
  return { format, rows, rejected, sizes };
}

/** An entry as chart files give it: no album, duration, explicit flag, ISRC or date added. */
export function fileEntry(
  position: number,
  trackId: string,
  name: string,
  artists: string[],
  streams: number | null,
  facts: ChartFacts | null = null,
): NormalisedEntry {
  return {
    position,
    trackId,
    uri: `spotify:track:${trackId}`,
    name,
    artists: artists.map((artist) => ({ id: null, name: artist })),
    album: null,
    durationMs: null,
    explicit: null,
    isrc: null,
    addedAt: null,
    streams,
    facts,
  };
}
