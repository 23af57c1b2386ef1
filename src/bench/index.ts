import { measureCaptureOverhead, measureProcessWallTime } from './capture.js';
import { measureExecutors } from './executors.js';
import { measureImports } from './imports.js';
import { measureStartup } from './startup.js';
import { measureTrigger } from './trigger.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');

/**
 * `npm run bench`: prints each measurement against its target, then all of them as JSON.
 * `npm run bench -- imports` (or `startup`, `capture`, `trigger`, `executors`) runs one part.
 */
async function main(parts: string[]): Promise<void> {
  const want = (part: string) => parts.length === 0 || parts.includes(part);
  const results: Record<string, unknown> = {};
  if (want('startup')) results.startup = await startup();
  if (want('capture')) results.capture = await capture();
  if (want('trigger')) results.trigger = await trigger();
  if (want('executors')) results.executors = await executors();
  if (want('imports')) results.imports = await measureImports(say, verdict);
  say(JSON.stringify(results, null, 2));
}

async function startup() {
  const startup = await measureStartup(15);
  for (const c of startup.comparisons) {
    say(
      `${c.name}: median ${c.median.toFixed(1)} ms vs ${c.baseline.name} ${c.baseline.median.toFixed(1)} ms = ${c.ratio.toFixed(2)}x (${verdict(c.ratio <= c.target)} target <= ${c.target}x; ${c.samples} alternating samples)`,
    );
  }
  const { memory } = startup;
  say(
    `${memory.name}: ${memory.peakMb.toFixed(1)} MB (${verdict(memory.peakMb <= memory.target)} target <= ${memory.target} MB)`,
  );
  return startup;
}

async function capture() {
  const capture = [await measureProcessWallTime(10), await measureCaptureOverhead(30)];
  for (const r of capture) {
    say(
      `${r.name}: median ${r.median.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms over ${r.samples} samples (${verdict(r.median <= r.target)} target < ${r.target} ms)`,
    );
  }
  return capture;
}

async function trigger() {
  const measured = await measureTrigger(15);
  const { api, store, capture, apiOverhead, storeOverhead } = measured;
  const ms = (m: { median: number; p90: number }) =>
    `median ${m.median.toFixed(1)} ms, p90 ${m.p90.toFixed(1)} ms`;
  say(
    `trigger to done (${api.samples} alternating samples): through the API ${ms(api)}; through the store ${ms(store)}; the capture's own time ${ms(capture)}`,
  );
  say(
    `${apiOverhead.name}: ${ms(apiOverhead)} (${verdict(apiOverhead.median <= apiOverhead.target)} target <= ${apiOverhead.target} ms); through the store: ${ms(storeOverhead)}`,
  );
  return measured;
}

async function executors() {
  const executors = await measureExecutors();
  if (executors.skipped) say(`executors: skipped (${executors.skipped})`);
  for (const t of executors.throughput) {
    say(
      `BullMQ, ${t.workers} worker(s): ${t.capturesPerSecond.toFixed(1)} captures/s (${t.charts} charts in ${t.seconds.toFixed(1)} s)`,
    );
  }
  const limit = executors.rateLimit;
  if (limit) {
    say(
      `rate limit ${limit.limit.max}/${limit.limit.perMs} ms, ${limit.charts} charts, ${limit.workers} workers: ${(limit.fraction * 100).toFixed(1)}% used, ${limit.replies429} replies of 429, ${limit.failedRuns} failed runs (${verdict(limit.fraction >= limit.target && limit.replies429 === 0)} target >= ${limit.target * 100}% and no 429)`,
    );
  }
  return executors;
}

await main(process.argv.slice(2));
