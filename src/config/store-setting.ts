import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

/** Where the data lives: a SQLite file (an absolute path once loaded), or a MongoDB URI. */
export type StoreSetting = { kind: 'sqlite'; path: string } | { kind: 'mongodb'; uri: string };

const MONGODB = /^mongodb(\+srv)?:\/\//i;
// A scheme: letters, then digits, "+", "." or "-", then a colon. "C:" is a Windows drive, not one.
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
// "mongodb//host/db": a URI whose colon was lost; no sensible file path starts like that.
const SCHEME_WITHOUT_COLON = /^([a-z][a-z0-9+.-]*)\/\//i;

/**
 * Why a store setting is not usable, or null. Anything that looks like a URI must be a MongoDB
 * one: a mistyped scheme (`mongdb://`, `mongodb:/`, `postgres://`) would otherwise be taken for
 * a file path and quietly store the data somewhere unexpected.
 */
export function storeSettingProblem(value: string): string | null {
  if (MONGODB.test(value)) return null;
  const scheme = SCHEME.exec(value)?.[1] ?? SCHEME_WITHOUT_COLON.exec(value)?.[1];
  if (scheme && !/^[a-z]:[\\/]/i.test(value)) {
    return `"${scheme}${value.slice(scheme.length, scheme.length + 3)}…" looks like a URI, but only mongodb:// and mongodb+srv:// URIs are stores; for a SQLite file give a path such as ./chartkeeper.db`;
  }
  if (/^~[^/\\]/.test(value)) {
    return 'starts with ~user, which chartkeeper does not expand; give the full path';
  }
  if (value.includes('\0')) return 'contains a NUL character';
  return null;
}

/**
 * A path setting made absolute: `~` and `~/…` are the home directory, a relative path is read
 * from `cwd`.
 */
export function resolvePath(path: string, cwd: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolve(home, path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}
