import { basename } from 'node:path';
import { progressReporter } from './progress.js';

/** Shows an import's progress on stderr while it runs; stdout stays free for the summary. */
export interface ImportProgress {
  file(file: string, size: number | null): void;
  rows(rows: number, bytes: number | null): void;
  /** Removes the bar before anything else is written to the terminal. */
  stop(): void;
}

/**
 * A progress bar (cli-progress) on a terminal: rows, rate and, from the bytes read, the share of
 * the file and the time left. Elsewhere plain lines, at most one a second after the first second.
 */
export async function importProgress(): Promise<ImportProgress> {
  if (!process.stderr.isTTY) return plainProgress();
  const { SingleBar, Presets } = await import('cli-progress');
  let bar: InstanceType<typeof SingleBar> | null = null;
  let started = 0;
  return {
    file(file, size) {
      bar?.stop();
      started = Date.now();
      bar = new SingleBar(
        {
          format: `${basename(file)} {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stderr,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
      bar.start(size ?? 1, 0, { rows: 0, rate: 0 });
    },
    rows(rows, bytes) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar?.update(bytes ?? 0, {
        rows: rows.toLocaleString('en-US'),
        rate: Math.round(rows / seconds).toLocaleString('en-US'),
      });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

function plainProgress(): ImportProgress {
  let name = '';
  let count = 0;
  let started = Date.now();
  let reporter = progressReporter(() => describe());
  const describe = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return `importing ${name}: ${count.toLocaleString('en-US')} rows (${Math.round(count / seconds).toLocaleString('en-US')} rows/s)`;
  };
  return {
    file(file) {
      name = basename(file);
      count = 0;
      started = Date.now();
      reporter = progressReporter(() => describe());
    },
    rows(rows) {
      count = rows;
      reporter.tick();
    },
    stop() {},
  };
}
