import { DEFAULT_DATE_FORMAT, formatDate, toDate } from './date.js';
import { RenderFailure } from './errors.js';
import type { HelperOptions } from './lookup.js';
import { describeValue, escapeMarkdown, isScalar, truncateText } from './text.js';

type Helper = (...args: unknown[]) => unknown;

function badArgument(options: HelperOptions, message: string, hint?: string): RenderFailure {
  return new RenderFailure('render/bad-argument', `${options.name}: ${message}`, options.loc, hint);
}

/** Splits a helper call into its positional arguments and options, and checks the count. */
function argsOf(args: unknown[], min: number, max: number, usage: string): { params: unknown[]; options: HelperOptions } {
  const options = args[args.length - 1] as HelperOptions;
  const params = args.slice(0, -1);
  if (params.length < min || params.length > max) {
    throw badArgument(options, `takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${params.length}`, `usage: ${usage}`);
  }
  return { params, options };
}

function textArg(value: unknown, options: HelperOptions, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badArgument(options, `${what} must be text, got ${describeValue(value)}`);
}

function dateHelper(...args: unknown[]): string {
  const { params, options } = argsOf(args, 0, 2, '{{date}}, {{date format}}, {{date value}} or {{date value format}}');
  const data = options.data ?? {};
  const [first, second] = params;
  // One argument is a format unless it looks like a date (a Date, a number, or text starting with a digit).
  const oneIsValue = params.length === 1 && (typeof first !== 'string' || /^\d/.test(first));
  const value = params.length === 2 || oneIsValue ? first : data.now;
  const format = params.length === 2 ? second : params.length === 1 && !oneIsValue ? first : DEFAULT_DATE_FORMAT;
  const date = toDate(value);
  if (!date) throw badArgument(options, `cannot read ${JSON.stringify(value) ?? 'undefined'} as a date`, 'give an ISO 8601 time or epoch milliseconds');
  if (typeof format !== 'string') throw badArgument(options, `the format must be text, got ${describeValue(format)}`);
  try {
    return formatDate(date, data.timezone ?? 'UTC', format);
  } catch {
    throw new RenderFailure('render/bad-timezone', `unknown time zone "${data.timezone}"`, options.loc);
  }
}

function compare(name: string, test: (a: number | string, b: number | string) => boolean): Helper {
  return (...args) => {
    const { params, options } = argsOf(args, 2, 2, `(${name} a b)`);
    const [a, b] = params;
    const bothNumbers = typeof a === 'number' && typeof b === 'number';
    if (!bothNumbers && !(typeof a === 'string' && typeof b === 'string')) {
      throw badArgument(options, `compares two numbers or two texts, got ${describeValue(a)} and ${describeValue(b)}`);
    }
    return test(a, b);
  };
}

/** The helpers a template may call, by name. */
export const publicHelpers: Record<string, Helper> = {
  date: dateHelper,
  default(...args) {
    const { params } = argsOf(args, 2, 2, '{{default value fallback}}');
    const [value, fallback] = params;
    return value === undefined || value === null || value === '' ? fallback : value;
  },
  truncate(...args) {
    const { params, options } = argsOf(args, 2, 2, '{{truncate value n}}');
    const n = params[1];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw badArgument(options, `n must be a whole number ≥ 1, got ${JSON.stringify(n)}`);
    return truncateText(textArg(params[0], options, 'the value'), n);
  },
  join(...args) {
    const { params, options } = argsOf(args, 1, 2, '{{join list ", "}}');
    const [list, sep = ', '] = params;
    if (!Array.isArray(list)) throw badArgument(options, `needs a list, got ${describeValue(list)}`);
    if (!list.every(isScalar)) throw badArgument(options, 'can only join texts and numbers', 'use {{#each}} for a list of objects');
    return list.join(textArg(sep, options, 'the separator'));
  },
  md(...args) {
    const { params, options } = argsOf(args, 1, 1, '{{md value}}');
    return escapeMarkdown(textArg(params[0], options, 'the value'));
  },
  json(...args) {
    const { params, options } = argsOf(args, 1, 1, '{{json value}}');
    if (params[0] === undefined) throw badArgument(options, 'has no value to encode');
    return JSON.stringify(params[0]);
  },
  /** Replaces Handlebars' own `lookup`, which would consult prototype access rules: own properties only. */
  lookup(...args) {
    const { params } = argsOf(args, 2, 2, '{{lookup object key}}');
    const [obj, key] = params;
    const ok = obj !== null && typeof obj === 'object' && (typeof key === 'string' || typeof key === 'number');
    return ok && Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
  },
  eq(...args) {
    const { params } = argsOf(args, 2, 2, '(eq a b)');
    return params[0] === params[1];
  },
  ne(...args) {
    const { params } = argsOf(args, 2, 2, '(ne a b)');
    return params[0] !== params[1];
  },
  gt: compare('gt', (a, b) => a > b),
  lt: compare('lt', (a, b) => a < b),
};

/** Block helpers, all Handlebars built-ins. */
export const BLOCK_HELPERS: ReadonlySet<string> = new Set(['each', 'if', 'unless', 'with']);
/** Arguments that may name an absent variable (it reads as undefined): optional variables work through these. */
export const TOLERANT_FIRST_ARG: ReadonlySet<string> = new Set(['if', 'unless', 'default']);
