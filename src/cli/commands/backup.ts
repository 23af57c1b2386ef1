import type { Command } from 'commander';
import { printJson, say } from '../output.js';
import { withApp } from '../session.js';

/** `chartkeeper backup --to FILE`: a consistent copy of the SQLite store, even while serve runs. */
export function define(command: Command): void {
  command
    .requiredOption('--to <file>', 'where to write the copy (a new file)')
    .option('-f, --force', 'replace the file if it exists')
    .option('--json', 'print the result as JSON')
    .action(async (options: { to: string; force?: boolean; json?: boolean }) => {
      await withApp({ access: 'read', mustExist: true }, async (app) => {
        const result = await app.backup({ to: options.to, force: options.force });
        if (options.json) {
          printJson({ ok: true, store: app.storeLocation, ...result });
        } else {
          const size = (result.bytes / 1024 / 1024).toFixed(1);
          say(
            `backed up ${app.storeLocation} to ${result.file} (${size} MB, as it was at ${result.takenAt})`,
          );
        }
      });
    });
}
