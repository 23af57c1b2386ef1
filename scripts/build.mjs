// Builds dist/ with esbuild, one self-contained bundle per way chartkeeper starts:
//   dist/cli/verbs/<verb>.cjs  the command line with that verb ready (bin/chartkeeper.cjs picks it)
//   dist/cli/main.cjs          the command line for --help and mistakes
//   dist/cli/import-worker.cjs the thread a large chart file is imported on
//   dist/bench/index.js        `npm run bench`
//   dist/web/assets/           the web UI's style sheet, scripts and icon (copied as they are)
// A command then reads one file of its own code instead of hundreds of small modules, which is
// most of Node's start-up time. The command line is CommonJS: there esbuild turns the imports of a
// module loaded on demand (a use case, an adapter) into require() calls made when it loads, so
// `chart` never loads http, tls or crypto; an ES module's imports all load before it runs. Drivers
// (better-sqlite3, mongodb, bullmq, pino) stay in node_modules and are required when an adapter
// first needs one. Type checking: `npm run lint`.
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const external = [
  // better-sqlite3's JavaScript is bundled (src/adapters/store/sqlite/driver.ts names its addon).
  'bindings',
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

/**
 * A verb's bundle defines that verb only; `completion` defines them all, so that the scripts it
 * writes know every option.
 */
function verbEntry(verb) {
  const defined = verb === 'completion' ? verbs : [verb];
  return [
    "import { runCli } from './src/cli/program.ts';",
    ...defined.map(
      (name, i) => `import { define as define${i} } from './src/cli/commands/${name}.ts';`,
    ),
    `void runCli(process.argv, { ${defined.map((name, i) => `${JSON.stringify(name)}: define${i}`).join(', ')} });`,
  ].join('\n');
}

/**
 * The use cases (App's modules, loaded on first call) each reading verb calls. A verb's bundle
 * otherwise holds every use case, and V8 reads all of that code on each start: about 3 ms of
 * `chartkeeper chart`, whose start is measured against `node -e 0`. The bundles of the verbs named
 * here leave the others out; calling one of those fails at once, naming this list (the CLI tests
 * run these verbs).
 */
const USE_CASES_OF = {
  chart: ['charts'],
  charts: ['history'],
  history: ['history'],
  movers: ['history'],
  top: ['history'],
  runs: ['runs'],
  logs: ['runs'],
};

/** Leaves the use cases a verb does not call out of its bundle (see USE_CASES_OF). */
function onlyUseCasesOf(verb) {
  const kept = USE_CASES_OF[verb];
  return {
    name: 'only-use-cases-of',
    setup(build) {
      if (!kept) return;
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import' || !args.importer.endsWith('src/app/app.ts')) return;
        const name = args.path.replace(/^\.\//, '').replace(/\.js$/, '');
        if (kept.includes(name)) return;
        return { path: name, namespace: 'left-out' };
      });
      build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`the use case ${args.path} is not in the bundle of \`chartkeeper ${verb}\` (USE_CASES_OF in scripts/build.mjs)`)});`,
        loader: 'js',
      }));
    },
  };
}

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  external,
  logLevel: 'warning',
};
const commandLine = {
  ...common,
  format: 'cjs',
  define: {
    CHARTKEEPER_VERSION: JSON.stringify(version),
    'import.meta.url': '__chartkeeperUrl',
  },
  banner: { js: "const __chartkeeperUrl = require('node:url').pathToFileURL(__filename).href;" },
  // main.cjs hands a verb to its bundle by a computed path on purpose (see src/cli/main.ts).
  logOverride: { 'unsupported-dynamic-import': 'silent' },
};
const bench = {
  ...common,
  format: 'esm',
  // Bundled CommonJS (commander) calls require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __chartkeeperRequire } from 'node:module'; const require = __chartkeeperRequire(import.meta.url);",
  },
};

rmSync('dist', { recursive: true, force: true });
// The web UI's style sheet, scripts and icon, served by `serve` from the package itself.
cpSync('src/web/assets', 'dist/web/assets', { recursive: true });
await Promise.all([
  build({ ...bench, entryPoints: ['src/bench/index.ts'], outfile: 'dist/bench/index.js' }),
  build({ ...commandLine, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli/main.cjs' }),
  // The thread a large chart file is imported on (src/app/import-files.ts finds it here).
  build({
    ...commandLine,
    entryPoints: ['src/app/import-worker.ts'],
    outfile: 'dist/cli/import-worker.cjs',
  }),
  ...verbs.map((verb) =>
    build({
      ...commandLine,
      stdin: {
        contents: verbEntry(verb),
        resolveDir: '.',
        sourcefile: `verbs/${verb}.ts`,
        loader: 'ts',
      },
      outfile: `dist/cli/verbs/${verb}.cjs`,
      plugins: [onlyUseCasesOf(verb)],
    }),
  ),
]);
