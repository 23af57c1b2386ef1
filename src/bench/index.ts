import { measureCaptureOverhead, measureProcessWallTime } from './capture.js';
import { measureExecutors } from './executors.js';

/** `npm run bench`: prints each measurement against its target, then all of them as JSON. */
async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const capture = [await measureProcessWallTime(10), await measureCaptureOverhead(30)];
  for (const r of capture) {
    const verdict = r.median <= r.target ? 'meets' : 'MISSES';
    say(
      `${r.name}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms over ${r.samples} samples (${verdict} target < ${r.target} ms)`,
    );
  }
  const executors = await measureExecutors();
  if (executors.skipped) say(`executors: skipped (${executors.skipped})`);
  for (const t of executors.throughput) {
    say(
      `BullMQ, ${t.workers} worker(s): ${t.capturesPerSecond.toFixed(1)} captures/s (${t.charts} charts in ${t.seconds.toFixed(1)} s)`,
    );
  }
  const limit = executors.rateLimit;
  if (limit) {
    const verdict = limit.fraction >= limit.target && limit.replies429 === 0 ? 'meets' : 'MISSES';
    say(
      `rate limit ${limit.limit.max}/${limit.limit.perMs} ms, ${limit.charts} charts, ${limit.workers} workers: ${(limit.fraction * 100).toFixed(1)}% used, ${limit.replies429} replies of 429, ${limit.failedRuns} failed runs (${verdict} target >= ${limit.target * 100}% and no 429)`,
    );
  }
  say(JSON.stringify({ capture, executors }, null, 2));
}

await main();
