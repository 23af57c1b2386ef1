import type { Alert } from '../alert.js';

/** Where alerts go (a webhook). Sending never waits for delivery: a run is never held up. */
export interface AlertSink {
  send(alert: Alert): void;
  /** Waits for deliveries under way, at most `ms` (a command about to exit). */
  flush(ms: number): Promise<void>;
}
