// Runs a CommonJS bundle with V8's code cache, so that a command does not compile its code again
// on every start (about a quarter of `chartkeeper chart`'s time). Written by hand because nothing
// maintained does it on Node 20: Node's own compile cache (module.enableCompileCache) arrived in
// Node 22, and v8-compile-cache keeps only what V8 compiles before the code runs, which for a
// bundle of lazily started modules is almost nothing. Here the cache is taken when the process
// exits, so it holds every function the command ran.
//
// The cache lives in the user's cache folder (~/.cache/chartkeeper/code-cache, or under
// XDG_CACHE_HOME / LOCALAPPDATA), one file per bundle, named after the bundle's size and time of
// change and the Node version, so a rebuilt bundle or another Node never reads a stale cache; V8
// checks the rest and refuses a cache that does not fit, which is then written anew. Nothing here
// ever stops a command: without a cache folder the bundle simply compiles as usual.
// NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off.
const {
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const { Script } = require('node:vm');

function cacheFolder() {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return null;
  const base =
    process.env.XDG_CACHE_HOME ||
    process.env.LOCALAPPDATA ||
    (homedir() && join(homedir(), '.cache'));
  return base ? join(base, 'chartkeeper', 'code-cache') : null;
}

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache whole or not at all, and removes the caches of older builds of the bundle. */
function writeCache(folder, file, data, bundleName) {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
    const older = new RegExp(`^${bundleName}-\\d+-\\d+-v.*\\.v8$`);
    for (const name of readdirSync(folder)) {
      if (older.test(name) && join(folder, name) !== file) {
        rmSync(join(folder, name), { force: true });
      }
    }
  } catch {
    // A cache that cannot be written costs the next start a few milliseconds, nothing more.
  }
}

/** Runs `bundle` (stats from fs.statSync) as `require(bundle)` would, with a code cache. */
function requireWithCodeCache(bundle, stats) {
  const folder = cacheFolder();
  const bundleName = basename(bundle, '.cjs');
  const cacheFile =
    folder &&
    join(
      folder,
      `${bundleName}-${stats.size}-${Math.trunc(stats.mtimeMs)}-${process.version}-${process.arch}.v8`,
    );
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const source = readFileSync(bundle, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new Script(wrapped, { filename: bundle, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () =>
      writeCache(folder, cacheFile, script.createCachedData(), bundleName),
    );
  }
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  return module.exports;
}

module.exports = { requireWithCodeCache };
