import type { Capture } from '../../domain/capture.js';
import { chartDateOf } from '../../domain/chart-date.js';
import type { CaptureLog } from '../../domain/ports/capture-log.js';
import type { ChartArchive } from '../../domain/ports/chart-archive.js';
import type { ChartNormaliser } from '../../domain/ports/sources.js';
import { buildChartFromLateCapture } from '../capture/chart-builder.js';
import { contentHash } from '../capture/content-hash.js';
import { type LegacySkip, readLegacyPage } from './legacy-page.js';

/** A document of the original collection: its id, its insertion time if known, its fields. */
export interface SeedDocument {
  id: string;
  insertedAt: Date | null;
  fields: Record<string, unknown>;
}

export interface SeedOptions {
  captures: CaptureLog;
  charts: ChartArchive;
  /** The source whose captures these become (Spotify playlists); its normaliser reads them. */
  normaliser: ChartNormaliser;
  documents: AsyncIterable<SeedDocument>;
  /** The zone that decides a capture's chart date, as for live captures. */
  timezone: string;
  /** The playlist of documents whose page has no `href` to read it from. */
  playlist?: string;
  /** The chart title (the pages do not carry the playlist's name). */
  title?: string;
  /** Called after each document, for progress. */
  progress?: (documentsRead: number) => void;
}

export interface SeedSummary {
  documents: number;
  captures: { imported: number; duplicates: number };
  charts: { written: number; kept: number };
  skipped: Record<LegacySkip, number>;
}

/**
 * Turns the original system's documents (one raw `/tracks` page per run) into captures and
 * daily charts. Re-running is safe: a document's capture id is derived from its `_id`, so it is
 * stored once, and identical consecutive pages are stored once as with live captures. Charts are
 * built after all captures, oldest day first, from the latest capture of each day.
 */
export async function importSeed(options: SeedOptions): Promise<SeedSummary> {
  const { captures, charts, normaliser } = options;
  const source = normaliser.source;
  const summary: SeedSummary = {
    documents: 0,
    captures: { imported: 0, duplicates: 0 },
    charts: { written: 0, kept: 0 },
    skipped: { 'no-playlist': 0, 'no-datetime': 0, 'not-a-page': 0 },
  };
  const titles = new Map<string, string>();
  const previous = new Map<string, Capture>();
  // Per playlist and day, the capture of the latest document: small however long the history.
  const days = new Map<string, { capture: Capture; chartDate: string; at: number }>();

  for await (const doc of options.documents) {
    summary.documents++;
    const read = readLegacyPage(doc.fields, doc.insertedAt, options.playlist);
    if ('skip' in read) {
      summary.skipped[read.skip]++;
    } else {
      const key = { source, chartId: read.playlistId };
      let title = titles.get(read.playlistId);
      if (title === undefined) {
        title =
          options.title ?? (await charts.getChart(key))?.title ?? `Playlist ${read.playlistId}`;
        titles.set(read.playlistId, title);
      }
      const payload = {
        playlist: { id: read.playlistId, name: title },
        endpoint: 'tracks',
        pages: [read.page],
      };
      const chartDate = chartDateOf(read.capturedAt, options.timezone);
      const hash = contentHash(payload);
      // Compared with the document before it here, not only with the store's latest capture:
      // on a repeated import the latest is the newest page, and an old repeat would slip in.
      let capture = previous.get(read.playlistId);
      if (capture?.contentHash === hash) {
        summary.captures.duplicates++;
      } else {
        const saved = await captures.saveCapture({
          id: `legacy-${doc.id}`,
          ...key,
          runId: null,
          capturedAt: read.capturedAt.toISOString(),
          chartDate,
          contentHash: hash,
          version: null,
          payload,
        });
        capture = saved.capture;
        previous.set(read.playlistId, capture);
        if (saved.created) summary.captures.imported++;
        else summary.captures.duplicates++;
      }
      const day = `${read.playlistId}\u0000${chartDate}`;
      const at = read.capturedAt.getTime();
      if ((days.get(day)?.at ?? -Infinity) <= at) days.set(day, { capture, chartDate, at });
    }
    options.progress?.(summary.documents);
  }

  const ordered = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, { capture, chartDate }] of ordered) {
    const chart = await buildChartFromLateCapture(charts, capture, chartDate, normaliser);
    if (chart) summary.charts.written++;
    else summary.charts.kept++;
  }
  return summary;
}
