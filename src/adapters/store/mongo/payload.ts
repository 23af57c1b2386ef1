/** BSON allows 100 levels of nesting; a little headroom for the capture document around it. */
const MAX_DEPTH = 90;

/** A capture payload as stored: a document when MongoDB can hold it exactly, else JSON text. */
export type StoredPayload = { payload: unknown } | { payloadJson: string };

/**
 * Keeps a payload readable in the database (a sub-document, as the original system stored it)
 * whenever that round-trips exactly. Payloads with what some servers refuse or alter (arrays in
 * arrays on FerretDB 1.x, keys with '$' or '.', -0) are kept as JSON text instead.
 */
export function encodePayload(payload: unknown): StoredPayload {
  const value = payload ?? null;
  return storable(value, false, 0) ? { payload: value } : { payloadJson: JSON.stringify(value) };
}

/** The payload exactly as it was saved, whichever way it was stored. */
export function decodePayload(doc: { payload?: unknown; payloadJson?: unknown }): unknown {
  if (typeof doc.payloadJson === 'string') return JSON.parse(doc.payloadJson);
  return doc.payload ?? null;
}

function storable(value: unknown, inArray: boolean, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    return !inArray && value.every((item) => storable(item, true, depth + 1));
  }
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.') || key.includes('\0')) return false;
    if (!storable(item, false, depth + 1)) return false;
  }
  return true;
}
