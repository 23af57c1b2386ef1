import { runCli, verbIn } from './program.js';

/**
 * The command line's entry point for `--help` and mistakes. Each verb runs from a bundle of its
 * own (dist/cli/verbs/<verb>.cjs, see scripts/build.mjs), which bin/chartkeeper.cjs picks; one
 * started here instead is handed to its bundle.
 */
const verb = verbIn(process.argv);
if (verb) void import(new URL(`./verbs/${verb}.cjs`, import.meta.url).href);
else void runCli(process.argv, {});
