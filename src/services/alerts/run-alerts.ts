import type { Alert } from '../../domain/alert.js';
import type { ChartKey, ChartSnapshot } from '../../domain/chart.js';
import { moversBetween } from '../../domain/history.js';
import type { AlertSink } from '../../domain/ports/alert-sink.js';
import type { ChartArchive } from '../../domain/ports/chart-archive.js';
import type { AppEventMap } from '../../domain/ports/observability.js';
import type { Run } from '../../domain/run.js';
import { keyLabel } from '../../domain/sources.js';
import type { EventBus } from '../../lib/event-bus.js';
import { localTimeWithZone } from '../../lib/local-time.js';

export interface RunAlertsDeps {
  events: Pick<EventBus, 'on'>;
  sink: AlertSink;
  charts: Pick<ChartArchive, 'getChart' | 'previousChart'>;
  timezone: string;
  /** After each scheduled capture, post the chart's digest too. */
  digest: boolean;
  logger: { warn(message: string): void };
}

/**
 * Alerts on what runs come to: a failed run, and (when asked) the day's digest after a scheduled
 * capture. Returns how to stop listening.
 */
export function alertOnRuns(deps: RunAlertsDeps): () => void {
  return deps.events.on('run-finished', ({ run }: AppEventMap['run-finished']) => {
    if (run.state === 'failed') {
      deps.sink.send(
        run.error?.code === 'spotify-quota'
          ? quotaExhausted(run, deps.timezone)
          : runFailed(run, deps.timezone),
      );
    }
    if (run.state === 'succeeded' && deps.digest && run.trigger === 'schedule') {
      digestOf(deps.charts, run).then(
        (alert) => alert && deps.sink.send(alert),
        (error: Error) => deps.logger.warn(`the chart digest could not be made: ${error.message}`),
      );
    }
  });
}

/** The alert for a failed run: which chart, what went wrong, what to do. */
export function runFailed(run: Run, timezone: string): Alert {
  const error = run.error;
  const when = localTimeWithZone(run.finishedAt ?? run.createdAt, timezone);
  const hint = error?.hint ? ` ${error.hint}` : '';
  return {
    kind: 'run-failed',
    text: `chartkeeper: the capture of ${keyLabel(run)} failed at ${when}: ${error?.message ?? 'no reason recorded'}.${hint}`,
    at: run.finishedAt ?? new Date().toISOString(),
    chart: { source: run.source, chartId: run.chartId },
    runId: run.id,
    details: {
      trigger: run.trigger,
      error: error ? { code: error.code, message: error.message } : null,
    },
  };
}

/**
 * The alert for a run that met Spotify's quota: the captures after it are deferred (without a
 * failed run each, so this is said once per exhaustion), and the message says until when.
 */
export function quotaExhausted(run: Run, timezone: string): Alert {
  return {
    ...runFailed(run, timezone),
    kind: 'quota-exhausted',
    text: `chartkeeper: ${run.error?.message ?? "Spotify's quota is exhausted"} Captures are deferred until then.`,
  };
}

/** The top ten, the new entries and the biggest movers of the chart a run stored. */
async function digestOf(charts: RunAlertsDeps['charts'], run: Run): Promise<Alert | null> {
  const key: ChartKey = { source: run.source, chartId: run.chartId };
  const chart = await charts.getChart(key, run.chartDate ?? undefined);
  if (!chart) return null;
  const previous = await charts.previousChart(key, chart.chartDate);
  return digestAlert(chart, previous);
}

/** The digest of a chart against the one before it. */
export function digestAlert(chart: ChartSnapshot, previous: ChartSnapshot | null): Alert {
  const line = (position: number | null, name: string, artists: { name: string }[]) =>
    `${position ?? '–'}. ${name} – ${artists.map((a) => a.name).join(', ')}`;
  const top = chart.entries.slice(0, 10);
  const movers = previous ? moversBetween(chart, previous, 3) : null;
  const sections = [`chartkeeper: ${chart.title} on ${chart.chartDate}`, 'Top 10:'];
  sections.push(...top.map((e) => line(e.position, e.name, e.artists)));
  if (movers) {
    const news = [...movers.newEntries, ...movers.reEntries];
    if (news.length > 0)
      sections.push('New:', ...news.map((m) => line(m.position, m.name, m.artists)));
    const moved = [...movers.climbers, ...movers.fallers];
    if (moved.length > 0) {
      sections.push(
        'Biggest movers:',
        ...moved.map(
          (m) =>
            `${line(m.position, m.name, m.artists)} (${m.change && m.change > 0 ? '+' : ''}${m.change})`,
        ),
      );
    }
  }
  return {
    kind: 'digest',
    text: sections.join('\n'),
    at: chart.capturedAt,
    chart: { source: chart.source, chartId: chart.chartId, title: chart.title },
    runId: chart.runId ?? undefined,
    details: {
      chartDate: chart.chartDate,
      top: top.map((e) => ({
        position: e.position,
        trackId: e.trackId,
        name: e.name,
        artists: e.artists.map((a) => a.name),
      })),
      movers,
    },
  };
}
