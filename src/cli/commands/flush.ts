import type { Command } from 'commander';
import type { FlushReport } from '../../adapters/store/outbox/outbox-store.js';
import { ChartkeeperError } from '../../domain/errors.js';
import { readConfig } from '../context.js';
import { EXIT, printJson } from '../output.js';
import { openOutboxStore } from '../stores.js';

/** `chartkeeper flush`: writes what waits in the outbox into the configured store. */
export function registerFlush(program: Command): void {
  program
    .command('flush')
    .description(
      'write the captures and runs waiting in the outbox (kept while the store was unreachable) into the store',
    )
    .option('--json', 'print what was written as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig();
      const store = await openOutboxStore(config);
      const { dir } = store.outbox;
      let report: FlushReport;
      try {
        const waiting = store.outbox.count();
        report = waiting ? await store.flush() : { captures: 0, charts: 0, runs: 0, failed: [] };
      } catch (error) {
        if (!(error instanceof ChartkeeperError)) throw error;
        const left = store.outbox.count();
        throw new ChartkeeperError(
          error.code,
          `${error.message.replace(/\.$/, '')}. ${left} record${left === 1 ? '' : 's'} still wait in the outbox ${dir}.`,
          { hint: error.hint, permanent: error.permanent },
        );
      } finally {
        await store.close();
      }
      const left = report.failed.length;
      if (options.json) {
        printJson({ ok: left === 0, outbox: dir, store: store.location, ...report, waiting: left });
      } else {
        process.stdout.write(`${describe(report, dir, store.location)}\n`);
        for (const failure of report.failed) {
          process.stderr.write(
            `chartkeeper: ${failure.type} ${failure.id} stays in the outbox: ${failure.message}\n`,
          );
        }
      }
      process.exitCode = left === 0 ? EXIT.ok : EXIT.failed;
    });
}

function describe(report: FlushReport, dir: string, location: string): string {
  const { captures, charts, runs } = report;
  if (captures + runs === 0 && report.failed.length === 0) {
    return `Nothing waits in the outbox ${dir}.`;
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Wrote ${plural(captures, 'capture')} (${plural(charts, 'chart')} built from them) and ${plural(runs, 'run')} from the outbox ${dir} into ${location}.`;
}
