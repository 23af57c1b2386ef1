import type { Capture } from '../capture.js';
import type { ChartKey } from '../chart.js';

/** What identifies a stored capture and its version, without its payload. */
export interface CaptureHead {
  id: string;
  version: string | null;
}

/** The append-only log of raw captures. */
export interface CaptureLog {
  /**
   * Appends a capture unless its id is stored already or its content hash equals that of the
   * latest capture of the same key; then the stored one is returned with `created: false`.
   */
  saveCapture(capture: Capture): Promise<{ capture: Capture; created: boolean }>;
  getCapture(id: string): Promise<Capture | null>;
  /**
   * The id and version of the latest capture of the key (by capturedAt, then order of saving),
   * without reading its payload: enough to ask the source whether anything changed.
   */
  latestCaptureHead(key: ChartKey): Promise<CaptureHead | null>;
}
