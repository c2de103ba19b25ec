import { commandPaths } from './bash.js';
import { inheritedOptions, type CommandSpec, type OptionSpec } from './spec.js';

/** `source <(dingcast completion zsh)` after compinit, or save it as `_dingcast` in a folder on $fpath. */
export function zshCompletion(root: CommandSpec): string {
  const functions: string[] = [];
  for (const [path, spec] of commandPaths(root)) {
    const options = [...spec.options, ...(spec === root ? [] : inheritedOptions(root))].map(optionSpec);
    const name = functionName(path);
    if (spec.subcommands.length > 0) {
      const items = spec.subcommands.map((s) => q(`${s.name.replace(/:/g, '\\:')}:${s.description}`)).join(' ');
      functions.push(`${name}() {
  local curcontext="$curcontext" state line
  typeset -A opt_args
  _arguments -C ${options.join(' ')} '1: :->command' '*:: :->args' && return
  case $state in
    command) local -a commands; commands=(${items}); _describe -t commands 'dingcast command' commands ;;
    args) local next=${name}_\${line[1]//-/_}; (( $+functions[$next] )) && $next ;;
  esac
}`);
    } else {
      const rest = spec.takesIds ? " '*:notification:_dingcast_ids'" : spec.takesArguments ? " '*:file:_files'" : '';
      functions.push(`${name}() {\n  _arguments ${options.join(' ')}${rest}\n}`);
    }
  }
  return `#compdef dingcast
# dingcast completion for zsh. Load it with:  source <(dingcast completion zsh)   (after compinit)
# or save it as _dingcast in a folder on $fpath:  dingcast completion zsh > ~/.zfunc/_dingcast
_dingcast_ids() {
  local -a ids
  ids=(\${(f)"$(dingcast completion --ids 2>/dev/null)"})
  _describe -t notifications notification ids
}
${functions.join('\n')}
_dingcast() { ${functionName('')} "$@" }
compdef _dingcast dingcast
`;
}

function functionName(path: string): string {
  return `_dingcast_cmd${path === '' ? '' : '_' + path.replace(/[ -]/g, '_')}`;
}

function optionSpec(o: OptionSpec): string {
  const description = `[${o.description.replace(/[\\[\]:]/g, (c) => `\\${c}`)}]`;
  const value = o.value === 'none' ? '' : o.value === 'file' ? ':file:_files' : o.value === 'dir' ? ':folder:_files -/' : o.value === 'text' ? ':value: ' : `:value:(${o.value.choices.join(' ')})`;
  const flags = [o.short, o.long].filter((f): f is string => f !== undefined);
  if (flags.length === 2) return `${q(`(${flags.join(' ')})`)}{${flags.join(',')}}${q(description + value)}`;
  return q(`${flags[0] ?? ''}${description}${value}`);
}

/** A zsh word in single quotes. */
function q(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
