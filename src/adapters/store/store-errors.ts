import { ChartkeeperError } from '../../domain/errors.js';

/**
 * A command that only makes sense for a store in use (`trigger`, `pause`, `resume`, `export`)
 * found none at the configured place: most likely a typo, which must neither start a new, empty
 * store nor pass an empty export for a backup.
 */
export function noStoreYet(location: string): ChartkeeperError {
  return new ChartkeeperError(
    'config',
    `There is no chartkeeper store at ${location} yet: nothing was ever captured there.`,
    {
      hint: 'Check CHARTKEEPER_STORE (store in chartkeeper.config.json): it must name the store your captures are in. `chartkeeper run` or `serve` starts a new one.',
      permanent: true,
    },
  );
}
