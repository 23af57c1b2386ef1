import { ChartkeeperError } from '../domain/errors.js';
import type { ChartStore } from '../domain/ports/chart-store.js';

/** The error a store throws when its server cannot be reached. */
export function unreachable(): ChartkeeperError {
  return new ChartkeeperError('store-unavailable', 'MongoDB at somewhere is unreachable');
}

/**
 * `store`, except that the named methods fail with `error` (by default as when the server went
 * away); every other call goes to `store`. `calls` counts the calls of each method.
 */
export function storeWith(
  store: ChartStore,
  failing: readonly (keyof ChartStore)[] = [],
  error: () => Error = unreachable,
): { store: ChartStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const name = String(property);
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        if ((failing as readonly string[]).includes(name)) return Promise.reject(error());
        return value.apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}
