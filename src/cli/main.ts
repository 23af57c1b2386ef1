import { runCli, verbIn } from './program.js';

/**
 * The command line's entry point for `--help` and mistakes. Each verb runs from a bundle of its
 * own (dist/cli/verbs/<verb>.js, see scripts/build.mjs), which bin/chartkeeper.js picks; one
 * started here instead is handed to its bundle.
 */
const verb = verbIn(process.argv);
if (verb) await import(new URL(`./verbs/${verb}.js`, import.meta.url).href);
else await runCli(process.argv, {});
