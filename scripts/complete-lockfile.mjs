#!/usr/bin/env node
// Some registry mirrors serve only the platform packages of the machine they are used from, so
// `npm install` writes a lock file without the other platforms' optional packages (biome's
// CLI binaries, msgpackr's prebuilt extension) and `npm ci` then refuses it as out of sync.
// This adds the missing optional entries, with the os/cpu their names state, so that `npm ci`
// works everywhere; npm skips them on other platforms without fetching them.
// Run after changing dependencies: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const PLATFORM = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|arm|ia32)(-(musl|gnu|msvc))?$/;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${location}/node_modules/${name}`;
    if (packages[key] || packages[nested]) continue;
    const platform = PLATFORM.exec(name);
    if (!platform) continue;
    packages[key] = {
      version,
      cpu: [platform[2]],
      ...(platform[4] === 'musl' || platform[4] === 'gnu'
        ? { libc: [platform[4] === 'gnu' ? 'glibc' : 'musl'] }
        : {}),
      dev: entry.dev || undefined,
      optional: true,
      os: [platform[1]],
    };
    added += 1;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform package(s)`);
