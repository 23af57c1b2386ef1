import type { AppEventMap, AppEventName, EventSink } from '../domain/ports/observability.js';

type Listener<K extends AppEventName> = (event: AppEventMap[K]) => void;

/**
 * Typed application events. A listener that throws is reported (onListenerError) and its error
 * kept from the emitter: metrics or an alert going wrong must never fail a capture.
 */
export class EventBus implements EventSink {
  private readonly listeners = new Map<AppEventName, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Calls `listener` for every event of that name from now on; returns how to stop. */
  on<K extends AppEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends AppEventName>(name: K, event: AppEventMap[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        (listener as Listener<K>)(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

/** Events sent nowhere. */
export const NO_EVENTS: EventSink = { emit: () => {} };
