import { ChartkeeperError } from '../../domain/errors.js';

/**
 * A command that only makes sense for a store in use (`trigger`, `pause`, `resume`) found none at
 * the configured place: most likely a typo, which must not start a new, empty store.
 */
export function noStoreYet(location: string): ChartkeeperError {
  return new ChartkeeperError(
    'config',
    `There is no chartkeeper store at ${location} yet: nothing was ever captured there.`,
    {
      hint: 'Check CHARTKEEPER_STORE: it must name the store your `chartkeeper serve` uses (`chartkeeper run` or `serve` creates a new one).',
      permanent: true,
    },
  );
}
