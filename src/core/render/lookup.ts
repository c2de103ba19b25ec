import { RenderFailure, type HbLoc } from './errors.js';
import { describeValue } from './text.js';

/** What Handlebars passes as the last argument of every helper call. */
export interface HelperOptions {
  name: string;
  hash: Record<string, unknown>;
  data: { now?: string; timezone?: string } | undefined;
  loc?: HbLoc;
}

export const MISSING: unique symbol = Symbol('missing');

/**
 * Follows `keys[from .. to-1]` from `base`, reading own properties only: variables come from YAML/JSON, and
 * prototypes must stay out of reach. Index bounds instead of a sliced copy: this runs for every `{{a.b}}`.
 */
export function readPath(base: unknown, keys: readonly unknown[], from = 0, to = keys.length): unknown {
  let cur = base;
  for (let i = from; i < to; i++) {
    if (cur === null || cur === undefined || (typeof cur !== 'object' && typeof cur !== 'string')) return MISSING;
    const key = keys[i] as string;
    if (!Object.hasOwn(cur as object, key)) return MISSING; // works on string primitives too (`.length`)
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function missingVariable(name: string, loc?: HbLoc): RenderFailure {
  return new RenderFailure(
    'render/missing-variable',
    `missing variable "${name}"`,
    loc,
    `give "${name}" a value, or use {{default ${name} "…"}} / {{#if ${name}}} where it is optional`,
  );
}

/** A value headed for the output string: scalars only, so a list or an object never becomes "[object Object]". */
export function toText(value: unknown, name: string, loc: HbLoc | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) throw missingVariable(name, loc);
  throw new RenderFailure(
    'render/not-a-string',
    `"${name}" is ${describeValue(value)}, not text`,
    loc,
    value === null ? `use {{default ${name} "…"}}` : `use {{join ${name} ", "}} or {{json ${name}}}`,
  );
}

/** Our lookup helpers get `(base, "original text", ...keys, options)`. */
function follow(args: unknown[]): unknown {
  return readPath(args[0], args, 2, args.length - 1);
}

function optionsOf(args: unknown[]): HelperOptions {
  return args[args.length - 1] as HelperOptions;
}

/**
 * Internal helpers that our AST rewrite (transform.ts) puts around every variable path. The names contain a
 * space, which a template can only reach through `[...]`, and transform.ts rejects any helper name that is
 * not public, so templates cannot call them.
 */
export const INTERNAL = { out: 'dc out', path: 'dc path', opt: 'dc opt', str: 'dc str', list: 'dc list', key: 'dc key' } as const;

export function notAList(name: string, loc?: HbLoc): RenderFailure {
  return new RenderFailure('render/each-not-a-list', `"${name}" is not a list`, loc, 'give a list (YAML sequence, JSON array)');
}

export const internalHelpers: Record<string, (...args: unknown[]) => unknown> = {
  /** `{{x.y}}`: strict lookup, then text. */
  [INTERNAL.out](...args) {
    const value = follow(args);
    if (typeof value === 'string') return value;
    const loc = optionsOf(args).loc;
    if (value === MISSING) throw missingVariable(args[1] as string, loc);
    return toText(value, args[1] as string, loc);
  },
  /** `{{x}}`, the commonest case, with fixed arity: no argument array to build. */
  [INTERNAL.key](base, name, key, options) {
    const readable = (base !== null && typeof base === 'object') || typeof base === 'string';
    const value = readable && Object.hasOwn(base as object, key as string) ? (base as Record<string, unknown>)[key as string] : MISSING;
    if (typeof value === 'string') return value;
    const loc = (options as HelperOptions).loc;
    if (value === MISSING) throw missingVariable(name as string, loc);
    return toText(value, name as string, loc);
  },
  /** A path given to a helper or `#each`/`#with`: strict lookup. */
  [INTERNAL.path](...args) {
    const value = follow(args);
    if (value === MISSING || value === undefined) throw missingVariable(args[1] as string, optionsOf(args).loc);
    return value;
  },
  /** A path given to `#if`, `#unless` or `default`: absent means undefined. */
  [INTERNAL.opt](...args) {
    const value = follow(args);
    return value === MISSING ? undefined : value;
  },
  /** The value given to `#each`: a list (or a map, whose values Handlebars iterates), nothing else. */
  [INTERNAL.list](value, name, options) {
    if (Array.isArray(value) || (value !== null && typeof value === 'object')) return value;
    throw value === undefined ? missingVariable(name as string, (options as HelperOptions).loc) : notAList(name as string, (options as HelperOptions).loc);
  },
  /** The result of a helper call headed for the output. */
  [INTERNAL.str](value, label, options) {
    return toText(value, `the result of ${label as string}`, (options as HelperOptions).loc);
  },
};
