/**
 * The layering of src/, as data (see "Architecture" in the README):
 *
 *   cli/ (web/)  entry points: arguments, rendering, processes
 *      ↓
 *   app/         the composition root and the use cases every entry point shares
 *      ↓
 *   services/    use cases' building blocks: capture pipeline, scheduling, transfer, seed
 *      ↓
 *   domain/      pure types and logic, and the ports (role interfaces) adapters implement
 *      ↑
 *   adapters/    stores, Spotify, queues: implement the ports
 *
 * lib/ holds small shared helpers (anyone may use them); config/ reads the settings; emulator/
 * is the fake Spotify for tests and the demo. Tests and test-support/ may import anything.
 */
const notTests = '(^src/test-support/|\\.test\\.ts$)';

const forbid = (name, comment, from, to, extra = {}) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, pathNot: notTests },
  to: { path: to, ...extra },
});

module.exports = {
  forbidden: [
    forbid(
      'domain-is-pure',
      'The domain imports nothing outside itself: no other layer, no package, no node: module.',
      '^src/domain/',
      '.',
      { pathNot: '^src/domain/' },
    ),
    {
      name: 'domain-has-no-runtime-dependencies',
      comment: 'Not even a node: built-in module or an npm package.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: notTests },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg'] },
    },
    forbid(
      'services-use-domain-and-lib',
      'Services depend on the domain (ports) and lib only: never on an adapter, the configuration, the app or an entry point.',
      '^src/services/',
      '^src/(adapters|config|app|cli|web|emulator|bench)/',
    ),
    forbid(
      'adapters-implement-ports',
      'Adapters implement domain ports: they import no service, app, entry point or the emulator.',
      '^src/adapters/',
      '^src/(services|app|cli|web|emulator|bench)/',
    ),
    forbid(
      'lib-is-shared',
      'lib/ is used by every layer, so it may use only the domain and itself.',
      '^src/lib/',
      '^src/(services|adapters|config|app|cli|web|emulator|bench)/',
    ),
    forbid(
      'config-reads-settings',
      'config/ reads and checks the settings; it knows nothing of what uses them.',
      '^src/config/',
      '^src/(services|adapters|app|cli|web|emulator|bench)/',
    ),
    forbid(
      'emulator-is-a-fake-spotify',
      "The emulator stands alone; it may read the shapes of Spotify's replies, nothing else of chartkeeper.",
      '^src/emulator/',
      '^src/(services|app|cli|web|bench|config)/|^src/adapters/(?!spotify/schemas\\.ts$)',
    ),
    forbid(
      'entry-points-use-the-app',
      'cli/ (and web/) call the app and use domain types: no store, source, executor or service of their own.',
      '^src/(cli|web)/',
      '^src/(services|adapters|config|emulator)/',
    ),
    forbid(
      'app-is-not-an-entry-point',
      'The app never reaches up into an entry point.',
      '^src/app/',
      '^src/(cli|web|bench)/',
    ),
    forbid(
      'nothing-imports-entry-points',
      'Entry points are leaves: only they import themselves.',
      '^src/(?!cli/)',
      '^src/cli/',
    ),
    forbid(
      'nothing-imports-web',
      'web/ is an entry point, started by the command line (serve, site) and measured by the bench.',
      '^src/(?!web/|cli/|bench/)',
      '^src/web/',
    ),
    forbid(
      'no-test-helpers-in-production',
      'Production code (and the bench) never uses test helpers: they do not ship.',
      '^src/',
      '^src/test-support/',
    ),
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
