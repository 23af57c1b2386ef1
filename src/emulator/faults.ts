import { SERVER_ERROR_STATUSES } from './responses.js';
import type { Fault, FaultKind, FaultPath } from './types.js';

const KINDS: readonly FaultKind[] = [
  'rate-limit',
  'server-error',
  'slow',
  'malformed-json',
  'expire-token',
  'connection-reset',
];
const PATHS: readonly FaultPath[] = ['token', 'playlist', 'items', 'tracks', 'any'];

const SPEC_FORM =
  `expected kind[:times[:path[:param]]] such as rate-limit:3 or server-error:2:items:502 ` +
  `(kinds: ${KINDS.join(', ')}; paths: ${PATHS.join(', ')}; param: Retry-After seconds for ` +
  `rate-limit, status 500/502/503/504 for server-error, milliseconds for slow; ` +
  `rate-limit also takes :quota at the end)`;

/** A fault with every default filled in. */
export type ResolvedFault = Required<Fault>;

function isInteger(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** Validates a fault (from code or a control request's JSON) and fills in its defaults. */
export function resolveFault(input: unknown): ResolvedFault {
  const fault = (typeof input === 'object' && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  const problem = (what: string) => new Error(`Invalid fault: ${what}`);
  if (!KINDS.includes(fault.kind as FaultKind)) {
    throw problem(`kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(fault.kind)}`);
  }
  const resolved: ResolvedFault = {
    kind: fault.kind as FaultKind,
    times: (fault.times as number | undefined) ?? 1,
    path: (fault.path as FaultPath | undefined) ?? 'any',
    retryAfterSeconds: (fault.retryAfterSeconds as number | undefined) ?? 1,
    status: (fault.status as number | undefined) ?? 503,
    delayMs: (fault.delayMs as number | undefined) ?? 2000,
    quota: (fault.quota as boolean | undefined) ?? false,
  };
  if (!isInteger(resolved.times, 1)) throw problem('times must be a whole number of at least 1');
  if (!PATHS.includes(resolved.path)) throw problem(`path must be one of ${PATHS.join(', ')}`);
  if (!isInteger(resolved.retryAfterSeconds, 0)) {
    throw problem('retryAfterSeconds must be a whole number of at least 0');
  }
  if (!SERVER_ERROR_STATUSES.includes(resolved.status)) {
    throw problem(`status must be one of ${SERVER_ERROR_STATUSES.join(', ')}`);
  }
  if (!isInteger(resolved.delayMs, 0))
    throw problem('delayMs must be a whole number of at least 0');
  if (typeof resolved.quota !== 'boolean') throw problem('quota must be true or false');
  return resolved;
}

/** Parses a CLI fault such as `rate-limit:3` or `slow:1:any:500` (kind[:times[:path[:param]]]). */
export function parseFaultSpec(spec: string): Fault {
  const parts = spec.trim().split(':');
  const [kind, times, path, param, extra, ...rest] = parts;
  const fail = (what: string) => new Error(`Invalid fault "${spec}": ${what}; ${SPEC_FORM}`);
  if (!KINDS.includes(kind as FaultKind)) throw fail(`unknown kind "${kind}"`);
  const fault: Fault = { kind: kind as FaultKind };
  if (times !== undefined && times !== '') {
    if (!/^[1-9]\d*$/.test(times))
      throw fail(`times "${times}" is not a whole number of at least 1`);
    fault.times = Number(times);
  }
  if (path !== undefined && path !== '') {
    if (!PATHS.includes(path as FaultPath)) throw fail(`unknown path "${path}"`);
    fault.path = path as FaultPath;
  }
  if (param !== undefined && param !== '') {
    if (!/^\d+$/.test(param)) throw fail(`param "${param}" is not a whole number`);
    const value = Number(param);
    if (fault.kind === 'rate-limit') fault.retryAfterSeconds = value;
    else if (fault.kind === 'server-error') {
      if (!SERVER_ERROR_STATUSES.includes(value)) throw fail(`status ${value} is not allowed`);
      fault.status = value;
    } else if (fault.kind === 'slow') fault.delayMs = value;
    else throw fail(`${fault.kind} takes no param`);
  }
  if (extra !== undefined || rest.length > 0) {
    if (fault.kind !== 'rate-limit' || extra !== 'quota' || rest.length > 0) {
      throw fail('too many parts');
    }
    fault.quota = true;
  }
  return fault;
}

/** Which fault path a request belongs to; 'other' is any other /v1 request. */
export type RequestPath = Exclude<FaultPath, 'any'> | 'other';

/** Faults waiting to hit requests, first injected first served. */
export class FaultQueue {
  private readonly queue: { fault: ResolvedFault; left: number }[] = [];

  /** Adds a fault after validating it; throws on an invalid one. */
  inject(fault: Fault): void {
    const resolved = resolveFault(fault);
    this.queue.push({ fault: resolved, left: resolved.times });
  }

  /** Drops every pending fault. */
  clear(): void {
    this.queue.length = 0;
  }

  /** Takes one hit of the first fault matching the request, if any. */
  take(path: RequestPath): ResolvedFault | null {
    const index = this.queue.findIndex(({ fault }) =>
      fault.path === 'any' ? path !== 'token' : fault.path === path,
    );
    const pending = this.queue[index];
    if (!pending) return null;
    pending.left -= 1;
    if (pending.left <= 0) this.queue.splice(index, 1);
    return pending.fault;
  }
}
