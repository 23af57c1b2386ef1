#!/usr/bin/env node
// Each verb is a bundle of its own (dist/cli/verbs/<verb>.cjs): only the code of the verb asked
// for is read. Anything else (--help, a mistake) goes to the command line's own entry point.
// CommonJS on purpose: Node starts a CommonJS bundle faster than an ES module, whose imports of
// built-in modules (http, tls, crypto…) are all loaded before it runs, needed or not.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const verb = process.argv[2] === 'help' ? process.argv[3] : process.argv[2];
const bundle = /^[a-z][a-z-]*$/.test(verb ?? '')
  ? join(__dirname, '..', 'dist', 'cli', 'verbs', `${verb}.cjs`)
  : null;
require(bundle && existsSync(bundle) ? bundle : join(__dirname, '..', 'dist', 'cli', 'main.cjs'));
