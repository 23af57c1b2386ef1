import type { Command } from 'commander';
import type { ChartKey } from '../../domain/chart.js';
import { parseChart } from '../options.js';
import { CliError, EXIT, printJson, say } from '../output.js';
import { renderArtistHistory, renderMatches, renderTrackHistory } from '../render/history.js';
import { withApp } from '../session.js';

interface HistoryOptions {
  artist?: string;
  chart?: ChartKey;
  groupVersions?: boolean;
  summary?: boolean;
  json?: boolean;
}

/** `chartkeeper history TRACK` / `history --artist NAME`: a track's or an artist's chart history. */
export function define(command: Command): void {
  command
    .argument(
      '[track]',
      'a track id, spotify:track: URI, open.spotify.com link, or words of its title',
    )
    .option(
      '-a, --artist <name|id>',
      "an artist's history instead: their name (any case) or Spotify artist id",
    )
    .option(
      '-c, --chart <key>',
      'only this chart: regional-global-daily, viral-us-weekly, a playlist id, URI or link',
      parseChart,
    )
    .option('--group-versions', 'count every track sharing the ISRC of this one as the same song')
    .option('--summary', 'only the statistics per chart, not every date')
    .option('--json', 'print the history as JSON')
    .action(async (track: string | undefined, options: HistoryOptions) => {
      if (track?.trim() === '' || options.artist?.trim() === '') {
        throw new CliError('The track or artist to look for is empty.', {
          hint: 'For example: chartkeeper history "blinding lights", or chartkeeper history --artist "the weeknd"',
        });
      }
      if ((track === undefined) === (options.artist === undefined)) {
        throw new CliError('Name either a track or an --artist.', {
          hint: 'For example: chartkeeper history "blinding lights", or chartkeeper history --artist "the weeknd"',
        });
      }
      await withApp({ access: 'read' }, async (app) => {
        if (options.artist !== undefined) {
          const result = await app.artistHistory({ artist: options.artist, key: options.chart });
          if (result.kind === 'none') {
            throw new CliError(
              `No stored chart lists an artist named or with the id "${result.query}".`,
              {
                exitCode: EXIT.failed,
                code: 'not-found',
                hint: 'Names match whole and in any case ("the weeknd"); an id is the 22 characters of their Spotify link.',
              },
            );
          }
          if (options.json) return printJson(result);
          say(
            await renderArtistHistory(result.artist, result.tracks.length, result.charts, options),
          );
          return;
        }
        const result = await app.trackHistory({
          track: track ?? '',
          key: options.chart,
          groupVersions: options.groupVersions,
        });
        if (result.kind === 'none') {
          throw new CliError(
            result.byId
              ? `No stored chart lists the track ${result.query}.`
              : `No stored track has a title containing "${result.query}".`,
            {
              exitCode: EXIT.failed,
              code: 'not-found',
              hint: 'List what is stored with: chartkeeper charts',
            },
          );
        }
        if (result.kind === 'ambiguous') {
          if (options.json) printJson({ matches: result.matches });
          else say(await renderMatches(result.matches));
          throw new CliError(
            `${result.matches.length}${result.matches.length >= 50 ? ' or more' : ''} tracks have a title containing "${result.query}".`,
            {
              exitCode: EXIT.failed,
              code: 'usage',
              hint: 'Pass the id of the one you mean: chartkeeper history <id>',
            },
          );
        }
        if (options.json) return printJson(result);
        say(await renderTrackHistory(result, { summary: options.summary, key: options.chart }));
      });
    });
}
