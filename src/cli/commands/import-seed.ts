import type { Command } from 'commander';
import { importSeed, type SeedSummary } from '../../services/seed/import-seed.js';
import type { LegacySkip } from '../../services/seed/legacy-page.js';
import { readConfig } from '../context.js';
import { parsePlaylist } from '../options.js';
import { CliError, EXIT, printJson } from '../output.js';
import { progressReporter } from '../progress.js';
import { chartSources, withPlainStore } from '../stores.js';

const SKIP_REASONS: Record<LegacySkip, string> = {
  'no-playlist': 'name no playlist (their page has no href; give --playlist ID)',
  'no-datetime': 'have no readable datetime field and no ObjectId to date them by',
  'not-a-page': 'are not a /tracks page (no items list)',
};

/** `chartkeeper import-seed`: the original Airflow system's MongoDB history, as captures and charts. */
export function registerImportSeed(program: Command): void {
  program
    .command('import-seed')
    .description(
      "import the original Airflow system's MongoDB documents (one /tracks page per run) as captures and daily charts; safe to repeat",
    )
    .requiredOption('--from <uri>', 'the MongoDB holding them (mongodb:// or mongodb+srv:// URI)')
    .option('--db <name>', 'database (default: the one in the URI, else spotify)')
    .option('--collection <name>', 'collection', 'currency_collection')
    .option(
      '-p, --playlist <id>',
      'playlist of documents whose page has no href to read it from',
      parsePlaylist,
    )
    .option('--title <text>', 'chart title (default: the stored chart title, else "Playlist ID")')
    .option('--json', 'print the counts as JSON')
    .action(
      async (options: {
        from: string;
        db?: string;
        collection: string;
        playlist?: string;
        title?: string;
        json?: boolean;
      }) => {
        const config = readConfig();
        if (!/^mongodb(\+srv)?:\/\//i.test(options.from)) {
          throw new CliError('--from must be a mongodb:// or mongodb+srv:// URI', {
            hint: 'For example: --from mongodb://user:password@localhost:27017',
          });
        }
        // The driver is loaded only by the commands that talk to MongoDB.
        const { openLegacyCollection } = await import(
          '../../adapters/store/mongo/legacy-collection.js'
        );
        const legacy = openLegacyCollection(options.from, {
          database: options.db,
          collection: options.collection,
        });
        let summary: SeedSummary;
        let location: string;
        try {
          const total = await legacy.count();
          if (total === 0) {
            throw new CliError(`${legacy.location} holds no documents`, {
              exitCode: EXIT.failed,
              code: 'not-found',
              hint: 'Check --db and --collection (the original system wrote spotify / currency_collection).',
            });
          }
          let read = 0;
          const progress = progressReporter(() => `read ${read} of ${total} documents`);
          [summary, location] = await withPlainStore(config, async (store) => [
            await importSeed({
              store,
              source: chartSources(config)[0]!,
              documents: legacy.documents(),
              timezone: config.timezone,
              playlist: options.playlist,
              title: options.title,
              progress: (n) => {
                read = n;
                progress.tick();
              },
            }),
            store.location,
          ]);
          progress.done();
        } finally {
          await legacy.close();
        }
        const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
        if (options.json) {
          printJson({ ok: skipped === 0, from: legacy.location, store: location, ...summary });
        } else {
          process.stdout.write(`${describe(summary, legacy.location, location)}\n`);
          for (const [reason, count] of Object.entries(summary.skipped)) {
            if (count === 0) continue;
            const text = SKIP_REASONS[reason as LegacySkip];
            process.stderr.write(
              `chartkeeper: ${count} document${count === 1 ? '' : 's'} skipped: they ${text}\n`,
            );
          }
        }
        process.exitCode = skipped === 0 ? EXIT.ok : EXIT.failed;
      },
    );
}

function describe(summary: SeedSummary, from: string, into: string): string {
  const { captures, charts } = summary;
  return [
    `Read ${summary.documents} documents from ${from} into ${into}:`,
    `${captures.imported} captures imported, ${captures.duplicates} already there or identical to the one before;`,
    `${charts.written} daily charts written, ${charts.kept} kept as stored.`,
  ].join(' ');
}
