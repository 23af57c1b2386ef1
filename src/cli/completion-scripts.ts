import type { Command, Option } from 'commander';

// Shell completion is written out from the command tree by hand: commander has none, and the
// libraries that add it (tabtab, omelette) call the program back on every Tab, which costs a
// Node start each time; a static script answers at once and stays true because it is generated
// from the same definitions as the commands.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What completion needs of one verb. */
interface VerbSpec {
  name: string;
  description: string;
  options: { long: string; short?: string; description: string; takesValue: boolean }[];
  /** Whether it takes file or folder arguments (import FILE|DIR...). */
  takesFiles: boolean;
}

function specOf(command: Command): VerbSpec {
  const options = command.options.map((option: Option) => ({
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

function bashScript(verbs: VerbSpec[]): string {
  const cases = verbs
    .filter((verb) => verb.name !== 'completion')
    .map((verb) => {
      const flags = verb.options.flatMap((o) => (o.short ? [o.long, o.short] : [o.long]));
      const valued = verb.options.filter((o) => o.takesValue).map((o) => o.long);
      return `    ${verb.name}) opts="${flags.join(' ')}"; valued="${valued.join(' ')}" ;;`;
    });
  return `# bash completion for chartkeeper: eval "$(chartkeeper completion bash)" in ~/.bashrc
_chartkeeper() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts="" valued=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${verbs.map((v) => v.name).join(' ')} help --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
    help) COMPREPLY=( $(compgen -W "${verbs.map((v) => v.name).join(' ')}" -- "$cur") ); return ;;
    completion) COMPREPLY=( $(compgen -W "${SHELLS.join(' ')}" -- "$cur") ); return ;;
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

function zshScript(verbs: VerbSpec[]): string {
  const list = verbs.map((verb) => `    '${verb.name}:${zshText(verb.description)}'`);
  const cases = verbs.map((verb) => {
    const specs = verb.options.map((o) => {
      const names = o.short ? `{${o.short},${o.long}}` : o.long;
      return `'${names}[${zshText(o.description)}]${o.takesValue ? ':value:_files' : ''}'`;
    });
    if (verb.takesFiles) specs.push("'*:file:_files'");
    if (verb.name === 'completion') specs.push(`'1:shell:(${SHELLS.join(' ')})'`);
    return `    ${verb.name}) _arguments ${specs.join(' ')} ;;`;
  });
  return `#compdef chartkeeper
# zsh completion for chartkeeper: eval "$(chartkeeper completion zsh)" in ~/.zshrc (after compinit)
_chartkeeper() {
  local -a verbs
  verbs=(
${list.join('\n')}
  )
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

function fishScript(verbs: VerbSpec[]): string {
  const lines = [
    '# fish completion for chartkeeper: chartkeeper completion fish > ~/.config/fish/completions/chartkeeper.fish',
    'complete -c chartkeeper -f',
  ];
  for (const verb of verbs) {
    lines.push(
      `complete -c chartkeeper -n __fish_use_subcommand -a ${verb.name} -d '${fishText(verb.description)}'`,
    );
    const when = `-n '__fish_seen_subcommand_from ${verb.name}'`;
    for (const o of verb.options) {
      const short = o.short ? ` -s ${o.short.slice(1)}` : '';
      lines.push(
        `complete -c chartkeeper ${when} -l ${o.long.slice(2)}${short}${o.takesValue ? ' -r -F' : ''} -d '${fishText(o.description)}'`,
      );
    }
    if (verb.takesFiles) lines.push(`complete -c chartkeeper ${when} -F`);
  }
  lines.push(
    `complete -c chartkeeper -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`,
  );
  return `${lines.join('\n')}\n`;
}
