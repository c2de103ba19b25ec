import type { Command, Option } from 'commander';

/**
 * The command tree as the completion scripts need it, read from commander itself: a new command or option
 * shows up in `dingcast completion` without anyone remembering to add it.
 */
export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  subcommands: CommandSpec[];
  /** Its first argument is notification ids (`send`, `render`): the scripts ask `dingcast completion --ids`. */
  takesIds: boolean;
  /** It takes arguments at all (`state import FILE`): files are offered for them. */
  takesArguments: boolean;
}

export interface OptionSpec {
  long?: string;
  short?: string;
  description: string;
  /** What follows the option: nothing, a path (file or folder), one of fixed values, or free text. */
  value: 'none' | 'file' | 'dir' | 'text' | { choices: string[] };
}

export function describeCommand(command: Command): CommandSpec {
  return {
    name: command.name(),
    description: firstLine(command.description()),
    options: [...command.options.filter((o) => !o.hidden).map(describeOption), { long: '--help', short: '-h', description: 'show help', value: 'none' }],
    subcommands: command.commands.filter((c) => !isHidden(c) && c.name() !== 'help').map(describeCommand),
    takesIds: command.registeredArguments[0]?.name() === 'ids',
    takesArguments: command.registeredArguments.length > 0,
  };
}

function describeOption(o: Option): OptionSpec {
  const takesValue = o.required || o.optional;
  const placeholder = /<([^>]+)>|\[([^\]]+)\]/.exec(o.flags);
  const name = (placeholder?.[1] ?? placeholder?.[2] ?? '').toLowerCase();
  let value: OptionSpec['value'] = 'none';
  if (takesValue) {
    if (o.argChoices && o.argChoices.length > 0) value = { choices: [...o.argChoices] };
    else if (name === 'dir') value = 'dir';
    else if (name === 'file') value = 'file';
    else value = 'text';
  }
  return { ...(o.long ? { long: o.long } : {}), ...(o.short ? { short: o.short } : {}), description: firstLine(o.description), value };
}

// commander keeps `hidden` on the private field `_hidden`; addCommand(cmd, { hidden: true }) sets it.
function isHidden(c: Command): boolean {
  return (c as unknown as { _hidden?: boolean })._hidden === true;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

/** The top level's options that commander also accepts after a command (`send -p DIR`); --version is the top's alone. */
export function inheritedOptions(root: CommandSpec): OptionSpec[] {
  return root.options.filter((o) => o.long !== '--version' && o.long !== '--help');
}

/** Every option that takes a value anywhere in the tree: the scripts skip its value when finding the command. */
export function valueFlags(spec: CommandSpec): string[] {
  const flags = new Set<string>();
  const walk = (c: CommandSpec): void => {
    for (const o of c.options) if (o.value !== 'none') [o.long, o.short].forEach((f) => f && flags.add(f));
    c.subcommands.forEach(walk);
  };
  walk(spec);
  return [...flags].sort();
}
