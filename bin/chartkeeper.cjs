#!/usr/bin/env node
// Each verb is a bundle of its own (dist/cli/verbs/<verb>.cjs): only the code of the verb asked
// for is read, and it runs with V8's code cache (code-cache.cjs). Anything else (--help, a
// mistake) goes to the command line's own entry point.
// CommonJS on purpose: Node starts a CommonJS bundle faster than an ES module, whose imports of
// built-in modules (http, tls, crypto…) are all loaded before it runs, needed or not.
const { statSync } = require('node:fs');
const { join } = require('node:path');

const verb = process.argv[2] === 'help' ? process.argv[3] : process.argv[2];
const bundle = /^[a-z][a-z-]*$/.test(verb ?? '')
  ? join(__dirname, '..', 'dist', 'cli', 'verbs', `${verb}.cjs`)
  : null;
const stats = bundle ? statSync(bundle, { throwIfNoEntry: false }) : undefined;
if (stats) require('./code-cache.cjs').requireWithCodeCache(bundle, stats);
else require(join(__dirname, '..', 'dist', 'cli', 'main.cjs'));
