import type { Command, Option } from 'commander';

// Shell completion is written out from the command tree by hand: commander has none, and the
// libraries that add it (tabtab, omelette) call the program back on every Tab, which costs a
// Node start each time; a static script answers at once and stays true because it is generated
// from the same definitions as the commands.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface OptionSpec {
  long: string;
  short?: string;
  description: string;
  takesValue: boolean;
}

/** What completion needs of one verb (or of a verb's sub-command, as `auth login`). */
interface VerbSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Whether it takes file or folder arguments (import FILE|DIR...). */
  takesFiles: boolean;
  /** Its own verbs (`auth login`, `auth status`…), each with its options. */
  subcommands: VerbSpec[];
}

function specOf(command: Command): VerbSpec {
  const options: OptionSpec[] = command.options.map((option: Option) => ({
    long: option.long ?? '',
    short: option.short,
    description: option.description,
    takesValue: option.required || option.optional,
  }));
  options.push({ long: '--help', short: '-h', description: 'show help', takesValue: false });
  return {
    name: command.name(),
    description: command.description(),
    options: options.filter((option) => option.long !== ''),
    takesFiles: command.registeredArguments.length > 0,
    subcommands: command.commands.map(specOf),
  };
}

/** The completion script for `shell`, covering every verb of `program` and its options. */
export function completionScript(program: Command, shell: Shell): string {
  const verbs = program.commands.map(specOf);
  if (shell === 'bash') return bashScript(verbs);
  if (shell === 'zsh') return zshScript(verbs);
  return fishScript(verbs);
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').split('; ')[0] ?? '';
const names = (specs: VerbSpec[]) => specs.map((s) => s.name).join(' ');

/** Every verb and sub-command that takes options, under its words ("run", "auth login"). */
function leaves(verbs: VerbSpec[]): [string, VerbSpec][] {
  return verbs.flatMap((verb): [string, VerbSpec][] =>
    verb.subcommands.length > 0
      ? verb.subcommands.map((sub): [string, VerbSpec] => [`${verb.name} ${sub.name}`, sub])
      : [[verb.name, verb]],
  );
}

function bashScript(verbs: VerbSpec[]): string {
  const groups = verbs
    .filter((verb) => verb.subcommands.length > 0)
    .map(
      (verb) =>
        `    ${verb.name}) if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=( $(compgen -W "${names(verb.subcommands)}" -- "$cur") ); return; fi; key="${verb.name} \${COMP_WORDS[2]}" ;;`,
    );
  const cases = leaves(verbs)
    .filter(([key]) => key !== 'completion')
    .map(([key, verb]) => {
      const flags = verb.options.flatMap((o) => (o.short ? [o.long, o.short] : [o.long]));
      const valued = verb.options.filter((o) => o.takesValue).map((o) => o.long);
      return `    "${key}") opts="${flags.join(' ')}"; valued="${valued.join(' ')}" ;;`;
    });
  return `# bash completion for chartkeeper: eval "$(chartkeeper completion bash)" in ~/.bashrc
_chartkeeper() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts="" valued=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names(verbs)} help --help --version" -- "$cur") )
    return
  fi
  local key="\${COMP_WORDS[1]}"
  case "$key" in
${groups.join('\n')}
    help) COMPREPLY=( $(compgen -W "${names(verbs)}" -- "$cur") ); return ;;
    completion) COMPREPLY=( $(compgen -W "${SHELLS.join(' ')}" -- "$cur") ); return ;;
  esac
  case "$key" in
${cases.join('\n')}
  esac
  # After an option that takes a value, offer files (a path is the likeliest value).
  if [[ " $valued " == *" $prev "* ]]; then COMPREPLY=( $(compgen -f -- "$cur") ); return; fi
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); return; fi
  COMPREPLY=( $(compgen -f -- "$cur") )
}
complete -o filenames -o bashdefault -F _chartkeeper chartkeeper
`;
}

/** Text inside a zsh single-quoted _arguments spec: no quote, no brackets, no colon. */
function zshText(text: string): string {
  return firstLine(text).replace(/'/g, '’').replace(/[[\]]/g, '').replace(/:/g, ' -');
}

function zshList(specs: VerbSpec[]): string {
  return specs.map((s) => `'${s.name}:${zshText(s.description)}'`).join(' ');
}

function zshArguments(verb: VerbSpec): string {
  const specs = verb.options.map((o) => {
    const flags = o.short ? `{${o.short},${o.long}}` : o.long;
    return `'${flags}[${zshText(o.description)}]${o.takesValue ? ':value:_files' : ''}'`;
  });
  if (verb.takesFiles) specs.push("'*:file:_files'");
  if (verb.name === 'completion') specs.push(`'1:shell:(${SHELLS.join(' ')})'`);
  return `_arguments ${specs.join(' ')}`;
}

function zshScript(verbs: VerbSpec[]): string {
  const cases = verbs.map((verb) => {
    if (verb.subcommands.length === 0) return `    ${verb.name}) ${zshArguments(verb)} ;;`;
    const subs = verb.subcommands.map((sub) => `        ${sub.name}) ${zshArguments(sub)} ;;`);
    return `    ${verb.name})
      if (( CURRENT == 2 )); then
        local -a subcommands=(${zshList(verb.subcommands)})
        _describe 'command' subcommands
        return
      fi
      local sub=\${words[2]}
      shift words
      (( CURRENT-- ))
      case $sub in
${subs.join('\n')}
      esac ;;`;
  });
  return `#compdef chartkeeper
# zsh completion for chartkeeper: eval "$(chartkeeper completion zsh)" in ~/.zshrc (after compinit)
_chartkeeper() {
  local -a verbs=(${zshList(verbs)})
  if (( CURRENT == 2 )); then
    _describe 'command' verbs
    return
  fi
  local verb=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $verb in
${cases.join('\n')}
    help) _describe 'command' verbs ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _chartkeeper "$@"
else
  compdef _chartkeeper chartkeeper
fi
`;
}

/** Text inside a fish single-quoted string. */
function fishText(text: string): string {
  return firstLine(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

function fishOptions(when: string, verb: VerbSpec): string[] {
  const lines = verb.options.map((o) => {
    const short = o.short ? ` -s ${o.short.slice(1)}` : '';
    return `complete -c chartkeeper -n '${when}' -l ${o.long.slice(2)}${short}${o.takesValue ? ' -r -F' : ''} -d '${fishText(o.description)}'`;
  });
  if (verb.takesFiles) lines.push(`complete -c chartkeeper -n '${when}' -F`);
  return lines;
}

function fishScript(verbs: VerbSpec[]): string {
  const lines = [
    '# fish completion for chartkeeper: chartkeeper completion fish > ~/.config/fish/completions/chartkeeper.fish',
    'complete -c chartkeeper -f',
  ];
  for (const verb of verbs) {
    lines.push(
      `complete -c chartkeeper -n __fish_use_subcommand -a ${verb.name} -d '${fishText(verb.description)}'`,
    );
    const inVerb = `__fish_seen_subcommand_from ${verb.name}`;
    if (verb.subcommands.length === 0) {
      lines.push(...fishOptions(inVerb, verb));
      continue;
    }
    const subNames = names(verb.subcommands);
    for (const sub of verb.subcommands) {
      lines.push(
        `complete -c chartkeeper -n '${inVerb}; and not __fish_seen_subcommand_from ${subNames}' -a ${sub.name} -d '${fishText(sub.description)}'`,
        ...fishOptions(`${inVerb}; and __fish_seen_subcommand_from ${sub.name}`, sub),
      );
    }
  }
  lines.push(
    `complete -c chartkeeper -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`,
  );
  return `${lines.join('\n')}\n`;
}
