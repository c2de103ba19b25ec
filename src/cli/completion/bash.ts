import { inheritedOptions, valueFlags, type CommandSpec, type OptionSpec } from './spec.js';

/** `source <(dingcast completion bash)`: commands, subcommands, options, their values, and notification ids. */
export function bashCompletion(root: CommandSpec): string {
  const paths = commandPaths(root);
  const rootOptions = root.options;
  const flagsOf = (o: OptionSpec): string[] => [o.long, o.short].filter((f): f is string => f !== undefined);
  const valueCases: string[] = [];
  const optionCases: string[] = [];
  const wordCases: string[] = [];
  for (const [path, spec] of paths) {
    for (const o of spec.options) {
      if (o.value === 'none' || spec === root) continue; // the top level's options are matched after any command, below
      const reply = o.value === 'dir' ? 'compgen -d -- "$cur"' : o.value === 'file' ? 'compgen -f -- "$cur"' : o.value === 'text' ? 'true' : `compgen -W ${q(o.value.choices.join(' '))} -- "$cur"`;
      valueCases.push(`  ${flagsOf(o).map((f) => q(`${path}:${f}`)).join('|')}) COMPREPLY=($(${reply})); return ;;`);
    }
    const options = [...new Set([...spec.options, ...(spec === root ? [] : inheritedOptions(root))].flatMap(flagsOf))];
    optionCases.push(`    ${q(path)}) words=${q(options.join(' '))} ;;`);
    const subcommands = spec.subcommands.map((s) => s.name).join(' ');
    if (subcommands !== '') wordCases.push(`    ${q(path)}) COMPREPLY=($(compgen -W ${q(subcommands)} -- "$cur")) ;;`);
    else if (spec.takesIds) wordCases.push(`    ${q(path)}) COMPREPLY=($(compgen -W "$(dingcast completion --ids \${project:+--project "$project"} 2>/dev/null)" -- "$cur")) ;;`);
  }
  return `# dingcast completion for bash. Load it with:  source <(dingcast completion bash)
# or save it:  dingcast completion bash > ~/.local/share/bash-completion/completions/dingcast
_dingcast() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local path="" project="" flag="" word i words
  # Find the command typed so far ("state status"), skipping options and their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ -n $flag ]]; then
      [[ $flag == -p || $flag == --project ]] && project=$word
      flag=""
      continue
    fi
    case $word in
      ${valueFlags(root).map(q).join('|')}) flag=$word ;;
      -*) ;;
      *) if _dingcast_is_command "\${path:+$path }$word"; then path="\${path:+$path }$word"; fi ;;
    esac
  done
  case "$path:$prev" in
${valueCases.join('\n')}
  esac
  case "$prev" in
${rootOptions.filter((o) => o.value !== 'none').map((o) => `    ${flagsOf(o).map(q).join('|')}) COMPREPLY=($(${o.value === 'dir' ? 'compgen -d -- "$cur"' : 'compgen -f -- "$cur"'})); return ;;`).join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case "$path" in
${optionCases.join('\n')}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return
  fi
  case "$path" in
${wordCases.join('\n')}
  esac
}
_dingcast_is_command() {
  case "$1" in
    ${[...paths.keys()].filter((p) => p !== '').map(q).join('|')}) return 0 ;;
  esac
  return 1
}
complete -o default -F _dingcast dingcast
`;
}

/** '' for the top level, 'send', 'state status', … */
export function commandPaths(root: CommandSpec): Map<string, CommandSpec> {
  const paths = new Map<string, CommandSpec>();
  const walk = (spec: CommandSpec, path: string): void => {
    paths.set(path, spec);
    for (const sub of spec.subcommands) walk(sub, path === '' ? sub.name : `${path} ${sub.name}`);
  };
  walk(root, '');
  return paths;
}

/** A shell word in single quotes. */
function q(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
