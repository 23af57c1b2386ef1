import type { Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion-scripts.js';
import { oneOf } from '../options.js';

/**
 * `chartkeeper completion SHELL`: prints a completion script for bash, zsh or fish. Its bundle
 * defines every verb (scripts/build.mjs), so the script knows every option.
 */
export function define(command: Command): void {
  command.argument('<shell>', `${SHELLS.join(', ')}`, oneOf(SHELLS)).action((shell: Shell) => {
    const program = command.parent;
    if (!program) return;
    process.stdout.write(completionScript(program, shell));
  });
}
