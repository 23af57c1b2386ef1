#!/usr/bin/env node
// Each verb is a bundle of its own (dist/cli/verbs/<verb>.js): only the code of the verb asked
// for is read. Anything else (--help, a mistake) goes to the command line's own entry point.
import { existsSync } from 'node:fs';

const verb = process.argv[2] === 'help' ? process.argv[3] : process.argv[2];
const bundle = /^[a-z][a-z-]*$/.test(verb ?? '')
  ? new URL(`../dist/cli/verbs/${verb}.js`, import.meta.url)
  : null;
await import(bundle && existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
