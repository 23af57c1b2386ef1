import type { Command } from 'commander';
import type { LegacySkip, SeedSummary } from '../../app/seed.js';
import type { ChartKey } from '../../domain/chart.js';
import { parsePlaylist } from '../options.js';
import { complain, EXIT, printJson, say } from '../output.js';
import { progressReporter } from '../progress.js';
import { type LogOptions, withApp } from '../session.js';
import { withLogOptions } from './common.js';

const SKIP_REASONS: Record<LegacySkip, string> = {
  'no-playlist': 'name no playlist (their page has no href; give --playlist ID)',
  'no-datetime': 'have no readable datetime field and no ObjectId to date them by',
  'not-a-page': 'are not a /tracks page (no items list)',
};

/** `chartkeeper import-seed`: the original Airflow system's MongoDB history, as captures and charts. */
export function define(command: Command): void {
  withLogOptions(
    command
      .requiredOption('--from <uri>', 'the MongoDB holding them (mongodb:// or mongodb+srv:// URI)')
      .option('--db <name>', 'database (default: the one in the URI, else spotify)')
      .option('--collection <name>', 'collection', 'currency_collection')
      .option(
        '-p, --playlist <id>',
        'playlist of documents whose page has no href to read it from',
        parsePlaylist,
      )
      .option('--title <text>', 'chart title (default: the stored chart title, else "Playlist ID")')
      .option('--json', 'print the counts as JSON'),
    'warn',
  ).action(
    async (
      options: {
        from: string;
        db?: string;
        collection: string;
        playlist?: ChartKey;
        title?: string;
        json?: boolean;
      } & LogOptions,
    ) => {
      await withApp({ access: 'write', log: options }, async (app) => {
        let read = 0;
        let total = 0;
        const progress = progressReporter(() => `read ${read} of ${total} documents`);
        const summary = await app.importFromAirflow({
          from: options.from,
          database: options.db,
          collection: options.collection,
          playlist: options.playlist?.chartId,
          title: options.title,
          progress: (n, of) => {
            read = n;
            total = of;
            progress.tick();
          },
        });
        progress.done();
        const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
        if (options.json) {
          printJson({ ok: skipped === 0, store: app.storeLocation, ...summary });
        } else {
          say(describe(summary, summary.from, app.storeLocation));
          for (const [reason, count] of Object.entries(summary.skipped)) {
            if (count === 0) continue;
            complain(
              `chartkeeper: ${count} document${count === 1 ? '' : 's'} skipped: they ${SKIP_REASONS[reason as LegacySkip]}`,
            );
          }
        }
        process.exitCode = skipped === 0 ? EXIT.ok : EXIT.failed;
      });
    },
  );
}

function describe(summary: SeedSummary, from: string, into: string): string {
  const { captures, charts } = summary;
  return [
    `Read ${summary.documents} documents from ${from} into the ${into}:`,
    `${captures.imported} captures imported, ${captures.duplicates} already there or identical to the one before;`,
    `${charts.written} daily charts written, ${charts.kept} kept as stored.`,
  ].join(' ');
}
