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
  const found = new Map<string, string | null>();
  return (name) => {
    let code = found.get(name);
    if (code === undefined) {
      const key = name.trim().toLowerCase();
      code = ALIASES.get(key) ?? countries.getAlpha2Code(name.trim(), 'en')?.toLowerCase() ?? null;
      // Bounded like a cache must be: a file of made-up names must not grow it without end.
      if (found.size > 10_000) found.clear();
      found.set(name, code);
    }
    return code;
  };
}
