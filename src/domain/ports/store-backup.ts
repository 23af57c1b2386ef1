/** A copy of the whole store, taken while it is in use. */
export interface StoreBackup {
  /**
   * Writes a consistent copy of the store to `path` (which must not exist) and checks it; the
   * store keeps serving reads and writes meanwhile. Returns the copy's size in bytes. A store
   * that cannot copy itself (MongoDB: use mongodump) throws an error saying what to use.
   */
  backupTo(path: string): Promise<number>;
}
