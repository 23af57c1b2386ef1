import type { DoctorReport } from '../../app/doctor.js';
import type { AppModeGuess, CheckStatus, SpotifyAppFacts } from '../../domain/diagnosis.js';

const MARK: Record<CheckStatus, string> = { ok: '✓', failed: '✗', skipped: '–' };

const MODE: Record<AppModeGuess, string> = {
  extended: 'Extended Quota Mode (it may read Spotify-owned editorial playlists)',
  development: 'Development Mode',
  'development-owned-only':
    'Development Mode, with items only of playlists the logged-in user owns or collaborates on (the rule for apps created on or after 2026-02-11)',
};

/** doctor's report for people: one line per check, then per chart whether it can be captured. */
export function renderDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.name.padEnd(width)}  ${check.detail}`);
    if (check.hint && check.status === 'failed')
      lines.push(`  ${' '.repeat(width)}  ${check.hint}`);
  }
  if (report.charts.length > 0) lines.push('', 'Charts:');
  for (const chart of report.charts) {
    if (chart.capturable) {
      const title = chart.title ? ` "${chart.title}"` : '';
      lines.push(`✓ ${chart.chartId}${title}: can be captured`);
      continue;
    }
    lines.push(`✗ ${chart.chartId}: cannot be captured: ${chart.why ?? 'no reason was given'}`);
    if (chart.todo) lines.push(`    What to do: ${chart.todo}`);
  }
  const app = report.app ? describeApp(report.app) : null;
  if (app) lines.push('', app);
  const capturable = report.charts.filter((c) => c.capturable).length;
  if (report.charts.length > 0) {
    lines.push(
      '',
      capturable === report.charts.length
        ? `Every chart (${capturable}) can be captured.`
        : `${capturable} of ${report.charts.length} charts can be captured.`,
    );
  }
  return lines.join('\n');
}

/** What the answers say of the Spotify app, in a line; null when they say nothing. */
function describeApp(app: SpotifyAppFacts): string | null {
  const facts = [
    app.mode ? `the answers point to ${MODE[app.mode]}` : null,
    app.ownerPremium === false ? "its owner's Premium subscription has lapsed" : null,
  ].filter(Boolean);
  return facts.length > 0 ? `Spotify app: ${facts.join('; ')}.` : null;
}
