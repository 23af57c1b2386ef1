import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmulatorDays } from '../app/demo.js';
import { startEmulator } from '../emulator/emulator.js';
import { emulatorEnvironment } from '../emulator/environment.js';

const CLI = fileURLToPath(new URL('../../bin/chartkeeper.cjs', import.meta.url));
const DAY_MS = 86_400_000;

export interface Measurement {
  name: string;
  unit: 'ms';
  samples: number;
  median: number;
  p90: number;
  target: number;
}

/** Wall time of `chartkeeper run` against the emulator on loopback, process start to exit. */
export async function measureProcessWallTime(runs: number): Promise<Measurement> {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-'));
  const env = emulatorEnvironment(emulator, {
    PATH: process.env.PATH,
    CHARTKEEPER_STORE: join(dir, 'bench.db'),
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [CLI, 'run'], { env, cwd: dir }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      times.push(performance.now() - started);
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return summarise('chartkeeper run, whole process (wall time)', times, 500);
}

/**
 * chartkeeper's own work per capture: the in-process time of one full capture (a new day each
 * time, so every task really runs) minus the time the emulator spent answering it.
 */
export async function measureCaptureOverhead(captures: number): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-'));
  const days = await openEmulatorDays(join(dir, 'bench.db'), join(dir, 'outbox'));
  const times: number[] = [];
  try {
    const start = Date.parse('2026-01-01T12:00:00Z');
    for (let i = 0; i < captures + 3; i += 1) {
      const emulatorBefore = days.emulator.handlerTimeMs();
      const started = performance.now();
      const run = await days.capture(new Date(start + i * DAY_MS));
      const elapsed = performance.now() - started;
      if (run.state !== 'succeeded') throw new Error(`bench capture failed: ${run.error?.message}`);
      // The first captures warm up the JIT and the HTTP connection; they are not counted.
      if (i >= 3) times.push(elapsed - (days.emulator.handlerTimeMs() - emulatorBefore));
    }
  } finally {
    await days.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return summarise("one capture, chartkeeper's own work (minus emulator time)", times, 20);
}

export function summarise(name: string, times: number[], target: number): Measurement {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { name, unit: 'ms', samples: times.length, median: at(0.5), p90: at(0.9), target };
}
