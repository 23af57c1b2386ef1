/** Names the dataset uses that the ISO list does not know (none so far; a place to add them). */
const ALIASES = new Map([['global', 'global']]);

/** Finds the chart region code (`global` or lower-case ISO 3166-1 alpha-2) of a country name. */
export type RegionCodes = (name: string) => string | null;

/**
 * Loads country names, in English only (the dataset's language): the package's default entry
 * registers every language it has, which costs time and memory nobody uses. Loaded when a dataset
 * file is read, never when chartkeeper starts.
 */
export async function loadRegionCodes(): Promise<RegionCodes> {
  const [countries, english] = await Promise.all([
    import('i18n-iso-countries/index.js'),
    import('i18n-iso-countries/langs/en.json', { with: { type: 'json' } }),
  ]);
  countries.registerLocale(english.default);
  // Linear in the number of countries: callers remember the answers (see Memo).
  return (name) => {
    const key = name.trim();
    return (
      ALIASES.get(key.toLowerCase()) ?? countries.getAlpha2Code(key, 'en')?.toLowerCase() ?? null
    );
  };
}
