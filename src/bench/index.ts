import { measureCaptureOverhead, measureProcessWallTime } from './capture.js';

/** `npm run bench`: prints each measurement against its target, then all of them as JSON. */
async function main(): Promise<void> {
  const results = [await measureProcessWallTime(10), await measureCaptureOverhead(30)];
  for (const r of results) {
    const verdict = r.median <= r.target ? 'meets' : 'MISSES';
    process.stdout.write(
      `${r.name}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms over ${r.samples} samples (${verdict} target < ${r.target} ms)\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
}

await main();
