/** Collection names, shared with tests and tools that read the database directly. */
export const COLLECTIONS = {
  captures: 'captures',
  charts: 'charts',
  runs: 'runs',
  /** One document per counter; `captures` numbers captures in the order they were saved. */
  counters: 'counters',
  /** The scheduler's leases (one per name) and small settings, keyed by name. */
  leases: 'leases',
  settings: 'settings',
  /** One document, `{_id: "schema", version}`: the schema version the documents follow. */
  migrations: 'migrations',
  /**
   * One small document per chart entry (key, date, position, track, streams): what history
   * queries read through an index, instead of whole chart documents.
   */
  appearances: 'appearances',
  /** Every track seen on any chart, as first seen, with its artists' keys. */
  tracks: 'tracks',
  /**
   * One document per chart key, `_id` "source|chartId": its first and last stored dates, so an
   * import learns them by `_id` (FerretDB answers only `_id` look-ups without reading everything).
   */
  chartKeys: 'chart_keys',
} as const;
