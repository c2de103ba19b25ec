import { commandPaths } from './bash.js';
import { inheritedOptions, valueFlags, type CommandSpec, type OptionSpec } from './spec.js';

/** `dingcast completion fish | source`, or save it as ~/.config/fish/completions/dingcast.fish. */
export function fishCompletion(root: CommandSpec): string {
  const paths = commandPaths(root);
  const lines: string[] = [];
  for (const [path, spec] of paths) {
    const at = `-n ${q(`__dingcast_at ${q(path)}`)}`;
    for (const sub of spec.subcommands) lines.push(`complete -c dingcast ${at} -a ${q(sub.name)} -d ${q(sub.description)}`);
    if (spec.takesIds) lines.push(`complete -c dingcast ${at} -a '(dingcast completion --ids 2>/dev/null)' -d notification`);
    for (const o of spec.options) lines.push(`complete -c dingcast ${at} ${optionFlags(o)} -d ${q(o.description)}`);
  }
  // The top level's options are accepted after any command, so they are offered everywhere.
  for (const o of inheritedOptions(root)) lines.push(`complete -c dingcast -n 'not __dingcast_at ""' ${optionFlags(o)} -d ${q(o.description)}`);
  const flags = valueFlags(root);
  return `# dingcast completion for fish. Load it with:  dingcast completion fish | source
# or save it:  dingcast completion fish > ~/.config/fish/completions/dingcast.fish
complete -c dingcast -e
complete -c dingcast -f
set -g __dingcast_paths ${[...paths.keys()].filter((p) => p !== '').map(q).join(' ')}
# The command typed so far ("state status"), skipping options and their values.
function __dingcast_path
    set -l path
    set -l skip 0
    for word in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $word
            case ${flags.map(q).join(' ')}
                set skip 1
            case '-*'
            case '*'
                if contains -- (string join ' ' $path $word) $__dingcast_paths
                    set path $path $word
                end
        end
    end
    string join ' ' $path
end
function __dingcast_at
    set -l path (__dingcast_path)
    test "$path" = "$argv[1]"
end
${lines.join('\n')}
`;
}

function optionFlags(o: OptionSpec): string {
  const parts = [o.short ? `-s ${o.short.slice(1)}` : '', o.long ? `-l ${o.long.slice(2)}` : ''];
  if (o.value === 'file') parts.push('-r -F');
  else if (o.value === 'dir') parts.push("-x -a '(__fish_complete_directories)'");
  else if (o.value === 'text') parts.push('-x');
  else if (o.value !== 'none') parts.push(`-x -a ${q(o.value.choices.join(' '))}`);
  return parts.filter(Boolean).join(' ');
}

/** A fish word in single quotes (fish escapes \ and ' inside them). */
function q(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
