import type { Alert } from '../../domain/alert.js';
import type { AlertSink } from '../../domain/ports/alert-sink.js';
import type { Logger } from '../../domain/ports/observability.js';

/** Masks secrets in text (the app's Redactor). */
interface Redacts {
  redact(text: string): string;
}

export interface WebhookOptions {
  redactor: Redacts;
  logger: Logger;
  /** Waits between attempts; one attempt more than there are waits. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Posts alerts as JSON to a webhook: `text` for Slack (and Slack-compatible chat tools), the
 * alert's fields beside it for anything else. Failed deliveries are retried on network errors,
 * 429 and 5xx; every body passes the redactor, so no secret leaves even inside an error message.
 */
export class WebhookSink implements AlertSink {
  private readonly pending = new Set<Promise<void>>();
  /** Requests under way, aborted when a closing process stops waiting for them. */
  private readonly inFlight = new Set<AbortController>();
  private givenUp = false;
  private readonly delays: readonly number[];

  constructor(
    private readonly url: string,
    private readonly options: WebhookOptions,
  ) {
    this.delays = options.retryDelaysMs ?? [1_000, 4_000, 16_000];
  }

  send(alert: Alert): void {
    const delivery = this.deliver(alert).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  async flush(ms: number): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([Promise.allSettled([...this.pending]), deadline]);
    clearTimeout(timer);
    if (this.pending.size === 0) return;
    // Out of time: say what is lost (an error: one-shot commands show no warnings by default),
    // and stop the requests so that the process can end now.
    this.options.logger.error(
      `${this.pending.size} alert(s) could not be delivered to the webhook (alerts.webhook) before chartkeeper stopped`,
    );
    this.givenUp = true;
    for (const controller of this.inFlight) controller.abort();
  }

  private async deliver(alert: Alert): Promise<void> {
    const body = this.options.redactor.redact(JSON.stringify(alert));
    const post = this.options.fetch ?? fetch;
    let problem = '';
    for (let attempt = 0; attempt <= this.delays.length; attempt++) {
      if (attempt > 0) await sleep(this.delays[attempt - 1] ?? 0);
      if (this.givenUp) return;
      const controller = new AbortController();
      const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 10_000);
      this.inFlight.add(controller);
      try {
        const reply = await post(this.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
          signal: controller.signal,
        });
        await reply.body?.cancel();
        if (reply.ok) return;
        problem = `the webhook answered ${reply.status}`;
        if (reply.status < 500 && reply.status !== 429) break;
      } catch (error) {
        problem = (error as Error).message;
      } finally {
        clearTimeout(timeout);
        this.inFlight.delete(controller);
      }
    }
    if (this.givenUp) return;
    this.options.logger.warn(
      `the ${alert.kind} alert could not be delivered to the webhook (alerts.webhook): ${problem}`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
