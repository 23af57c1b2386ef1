import type { OutboxWriter } from '../adapters/store/outbox/outbox-writer.js';
import type { Config } from '../config/schema.js';
import type { AlertSink } from '../domain/ports/alert-sink.js';
import type { CaptureLog } from '../domain/ports/capture-log.js';
import type { ChartArchive } from '../domain/ports/chart-archive.js';
import type { ChartStore } from '../domain/ports/chart-store.js';
import type { Coordination } from '../domain/ports/coordination.js';
import type { Executor } from '../domain/ports/executor.js';
import type { Logger } from '../domain/ports/observability.js';
import type { RunLedger } from '../domain/ports/run-ledger.js';
import type { EventBus } from '../lib/event-bus.js';
import type { Redactor } from '../lib/redact.js';
import type { Sources } from '../services/source-registry.js';

/** Whether a command only reads, or also writes. */
export type Access = 'read' | 'write';

/**
 * What every use case works with: the configuration, the store by role (writes to the capture
 * log and the ledger go through the outbox), the sources, and where logs and events go. Built
 * once per process by openApp.
 */
export interface AppContext {
  readonly config: Config;
  readonly access: Access;
  /** The whole store; use the roles below where they suffice. */
  readonly store: ChartStore;
  readonly captures: CaptureLog;
  readonly charts: ChartArchive;
  readonly ledger: RunLedger;
  readonly coordination: Coordination;
  /** The outbox in front of the capture log and the ledger (write access only). */
  readonly outbox: OutboxWriter | null;
  readonly sources: Sources;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly events: EventBus;
  /** Where alerts go (config alerts.webhook); null without one, or for a command that only reads. */
  readonly alerts: AlertSink | null;
  /** What reading a damaged store had to skip so far in this process ("3 captures", "the charts"). */
  readonly damaged: readonly string[];
  /** The executor the configuration names, opened on first use (serve and worker only). */
  executor(): Promise<Executor>;
}
