import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { type Service, titleFor, unavailable } from '../test-support/services.js';
import { VERBS } from './program.js';

const exec = promisify(execFile);

function shell(name: string): Service<string> {
  const found = spawnSync(name, ['-c', 'exit 0']);
  return found.error || found.status !== 0
    ? unavailable(name, `${name} is not installed`)
    : { available: true, value: name };
}

async function script(name: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(['completion', name]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

/** What bash completes for the words typed so far (the last one being completed). */
async function bashCompletes(text: string, ...words: string[]): Promise<string[]> {
  const program = `eval "$1"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _chartkeeper; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await exec('bash', ['-c', program, 'bash', text]);
  return stdout.split('\n').filter(Boolean);
}

describe('chartkeeper completion', () => {
  it('refuses a shell it does not know, naming the ones it does', async () => {
    const { code, stderr } = await runCli(['completion', 'tcsh']);
    expect(code).toBe(2);
    expect(stderr).toContain('bash, zsh, fish');
  });

  it('bash: completes every verb, a verb’s options, and the shells', async () => {
    const text = await script('bash');
    const verbs = await bashCompletes(text, 'chartkeeper', '');
    for (const verb of Object.keys(VERBS)) expect(verbs).toContain(verb);
    expect(await bashCompletes(text, 'chartkeeper', 'ru')).toEqual(['run', 'runs']);
    expect(await bashCompletes(text, 'chartkeeper', 'import', '--st')).toEqual(['--strict']);
    expect(await bashCompletes(text, 'chartkeeper', 'serve', '--p')).toEqual(['--port']);
    expect(await bashCompletes(text, 'chartkeeper', 'completion', 'z')).toEqual(['zsh']);
    // A verb of verbs: its sub-commands, then each one's options.
    expect(await bashCompletes(text, 'chartkeeper', 'auth', '')).toEqual([
      'login',
      'status',
      'logout',
    ]);
    expect(await bashCompletes(text, 'chartkeeper', 'auth', 'login', '--no')).toEqual([
      '--no-browser',
    ]);
  });
});

const fish = shell('fish');
describe.skipIf(!fish.available)(titleFor('fish completion', fish), () => {
  it('completes verbs with their descriptions and a verb’s options', async () => {
    const text = await script('fish');
    const complete = async (line: string) =>
      (await exec('fish', ['-c', `${text}\ncomplete -C '${line}'`])).stdout;
    expect(await complete('chartkeeper ru')).toMatch(/^run\tcapture .*\nruns\tshow the run ledger/);
    expect(await complete('chartkeeper import --st')).toMatch(/^--strict\t/);
    const subs = (await complete('chartkeeper auth ')).split('\n').map((l) => l.split('\t')[0]);
    expect(subs.filter(Boolean).sort()).toEqual(['login', 'logout', 'status']);
    expect(await complete('chartkeeper auth login --no')).toMatch(/^--no-browser\t/);
  });
});

const zsh = shell('zsh');
describe.skipIf(!zsh.available)(titleFor('zsh completion', zsh), () => {
  it('is valid zsh that registers a completion for chartkeeper', async () => {
    const text = await script('zsh');
    expect(text).toMatch(/^#compdef chartkeeper/);
    for (const verb of Object.keys(VERBS)) expect(text).toContain(`'${verb}:`);
    const { stdout } = await exec('zsh', [
      '-c',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's own ${…}, not JavaScript's
      'autoload -U compinit && compinit -u -d "$2" && eval "$1" && print -r -- ${_comps[chartkeeper]}',
      'zsh',
      text,
      `${process.env.CHARTKEEPER_TEST_CACHE ?? '/tmp'}/zcompdump-${process.pid}`,
    ]);
    expect(stdout.trim()).toBe('_chartkeeper');
  });
});
