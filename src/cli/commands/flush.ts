import type { Command } from 'commander';
import type { FlushReport } from '../../app/flush.js';
import { complain, EXIT, printJson, say } from '../output.js';
import { type LogOptions, withApp } from '../session.js';
import { withLogOptions } from './common.js';

/** `chartkeeper flush`: writes what waits in the outbox into the configured store. */
export function define(command: Command): void {
  withLogOptions(command.option('--json', 'print what was written as JSON'), 'warn').action(
    async (options: { json?: boolean } & LogOptions) => {
      await withApp({ access: 'write', log: options }, async (app) => {
        const report = await app.flush();
        const left = report.failed.length;
        if (options.json) {
          printJson({ ok: left === 0, store: app.storeLocation, ...report, waiting: left });
        } else {
          say(describe(report, report.outbox, app.storeLocation));
          for (const failure of report.failed) {
            complain(
              `chartkeeper: ${failure.type} ${failure.id} stays in the outbox: ${failure.message}`,
            );
          }
          for (const other of report.elsewhere) {
            complain(
              `chartkeeper: ${other.records} record${other.records === 1 ? '' : 's'} in the outbox wait for another store (${other.store}) and were left alone; flush them with that store configured.`,
            );
          }
        }
        process.exitCode = left === 0 ? EXIT.ok : EXIT.failed;
      });
    },
  );
}

function describe(report: FlushReport, dir: string, location: string): string {
  const { captures, charts, runs } = report;
  if (captures + runs === 0 && report.failed.length === 0) {
    return `Nothing waits in the outbox ${dir}.`;
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Wrote ${plural(captures, 'capture')} (${plural(charts, 'chart')} built from them) and ${plural(runs, 'run')} from the outbox ${dir} into the ${location}.`;
}
