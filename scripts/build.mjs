// Builds dist/ with esbuild, one self-contained ES module per way chartkeeper starts:
//   dist/cli/verbs/<verb>.js  the command line with that verb ready (bin/chartkeeper.js picks it)
//   dist/cli/main.js          the command line for --help and mistakes
//   dist/bench/index.js       `npm run bench`
// A command then reads one file of its own code instead of hundreds of small modules, which is
// most of Node's start-up time. Drivers (better-sqlite3, mongodb, bullmq, pino) stay in
// node_modules and are required when an adapter first needs one. Type checking: `npm run lint`.
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
const options = {
  bundle: true,
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
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({
    ...options,
    entryPoints: { 'cli/main': 'src/cli/main.ts', 'bench/index': 'src/bench/index.ts' },
    outdir: 'dist',
    // main.js loads a verb's module by a computed path on purpose (see src/cli/main.ts).
    logOverride: { 'unsupported-dynamic-import': 'silent' },
  }),
  ...verbs.map((verb) =>
    build({
      ...options,
      stdin: {
        contents: [
          "import { runCli } from './src/cli/program.ts';",
          `import { define } from './src/cli/commands/${verb}.ts';`,
          `await runCli(process.argv, { ${JSON.stringify(verb)}: define });`,
        ].join('\n'),
        resolveDir: '.',
        sourcefile: `verbs/${verb}.ts`,
        loader: 'ts',
      },
      outfile: `dist/cli/verbs/${verb}.js`,
    }),
  ),
]);
