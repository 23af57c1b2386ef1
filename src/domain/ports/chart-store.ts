import type { BulkChartArchive } from './bulk-chart-archive.js';
import type { CaptureLog } from './capture-log.js';
import type { ChartArchive } from './chart-archive.js';
import type { ChartHistory } from './chart-history.js';
import type { ChartRangeReader } from './chart-range.js';
import type { Coordination } from './coordination.js';
import type { RecordExport } from './record-export.js';
import type { RunLedger } from './run-ledger.js';
import type { StoreBackup } from './store-backup.js';

/**
 * A whole store (SQLite, MongoDB): every role at once. Services ask for the narrowest role they
 * use; only the application core holds a ChartStore.
 */
export interface ChartStore
  extends CaptureLog,
    ChartArchive,
    BulkChartArchive,
    ChartRangeReader,
    ChartHistory,
    RunLedger,
    Coordination,
    RecordExport,
    StoreBackup {
  /** 'sqlite' or 'mongodb': shown to users, never a connection string. */
  readonly kind: string;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  close(): Promise<void>;
}
