import type { Command } from 'commander';
import { EXIT, printJson, say } from '../output.js';
import { renderDoctorReport } from '../render/doctor.js';
import { withApp } from '../session.js';

/**
 * `chartkeeper doctor`: checks the configuration, store, queue, login and credentials, then
 * whether each configured chart can be captured, with a handful of requests to Spotify.
 */
export function define(command: Command): void {
  command
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      await withApp({ access: 'write' }, async (app) => {
        const report = await app.doctor();
        if (options.json) printJson(report);
        else say(renderDoctorReport(report));
        process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
      });
    });
}
