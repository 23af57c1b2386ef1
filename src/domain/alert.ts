import type { ChartKey } from './chart.js';

/** What an alert is about. */
export type AlertKind =
  | 'run-failed'
  | 'chart-stale'
  | 'login-expiring'
  | 'quota-exhausted'
  | 'digest';

/**
 * A message for the people who look after chartkeeper: one line of text anyone can read (Slack
 * shows it), and the same facts as fields for a program.
 */
export interface Alert {
  kind: AlertKind;
  /** Plain text, Slack's `text`. */
  text: string;
  /** When it happened (ISO 8601). */
  at: string;
  chart?: ChartKey & { title?: string };
  runId?: string;
  /** Anything else a program may want: the error code, the last capture, the top ten. */
  details?: Record<string, unknown>;
}
