// Builds dist/ with esbuild. bin/chartkeeper.js loads dist/cli/main.js: the command line with
// every verb's name and description; a verb's own module (dist/cli/commands/<verb>.js) is loaded
// only when that verb runs. Code is bundled and split into shared chunks that load on demand, so
// a command reads a few files instead of hundreds of small modules (most of Node's start-up
// time). Drivers that are native (better-sqlite3) or large and needed by few commands (mongodb,
// bullmq, pino) stay in node_modules and load only when used. Type checking is `npm run lint`.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const external = [
  'better-sqlite3',
  'mongodb',
  'mongodb-connection-string-url',
  'bullmq',
  'ioredis',
  'pino',
  'pino-pretty',
  'mongodb-memory-server-core',
  'vitest',
];

const verbs = readdirSync('src/cli/commands')
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'common.ts')
  .map((file) => file.slice(0, -3));

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    'cli/main': 'src/cli/main.ts',
    'bench/index': 'src/bench/index.ts',
    ...Object.fromEntries(
      verbs.map((verb) => [`cli/commands/${verb}`, `src/cli/commands/${verb}.ts`]),
    ),
  },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external,
  define: { CHARTKEEPER_VERSION: JSON.stringify(version) },
  // Bundled CommonJS (commander) calls require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __chartkeeperRequire } from 'node:module'; const require = __chartkeeperRequire(import.meta.url);",
  },
  // main.js loads each verb's module by a computed path on purpose (see loadVerb).
  logOverride: { 'unsupported-dynamic-import': 'silent' },
  logLevel: 'warning',
});
