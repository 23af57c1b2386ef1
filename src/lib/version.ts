// Set by the build (scripts/build.mjs); absent when running from source (tests).
declare const CHARTKEEPER_VERSION: string;

/** chartkeeper's version, from package.json at build time; `development` from source. */
export const VERSION =
  typeof CHARTKEEPER_VERSION === 'string' ? CHARTKEEPER_VERSION : 'development';
