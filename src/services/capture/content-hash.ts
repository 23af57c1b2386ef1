import { createHash } from 'node:crypto';
import { payloadJson } from '../../domain/capture.js';

/** sha256 of the payload's JSON: equal payloads, equal hashes. */
export function contentHash(payload: unknown): string {
  return createHash('sha256').update(payloadJson(payload)).digest('hex');
}
