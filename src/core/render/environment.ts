import Handlebars from 'handlebars';
import type { ProgramNode } from './ast.js';
import type { Position } from './errors.js';
import { publicHelpers } from './helpers.js';
import { internalHelpers } from './lookup.js';
import { describeSyntaxError } from './syntax.js';
import { analyzeTemplate, type LeafAnalysis, type LeafProblem } from './transform.js';

/** Our own Handlebars: helpers live here only, never on the global instance other code may share. */
const hb = Handlebars.create();
hb.unregisterHelper('log'); // writes to the console: not for a pure renderer
hb.registerHelper({ ...publicHelpers, ...internalHelpers } as unknown as Handlebars.HelperDeclareSpec);

const knownHelpers: Record<string, boolean> = {};
for (const name of Object.keys(hb.helpers)) knownHelpers[name] = true;
knownHelpers.log = false;

/** The values a template sees as `@now`, `@today`, … (plus `@root`; `@timezone` feeds the `date` helper). */
export interface BuiltinData {
  root: unknown;
  now: string;
  today: string | undefined;
  notification: string | undefined;
  run_id: string | undefined;
  /** The schedule slot a `send --due` fires for (ISO with offset); undefined otherwise. */
  slot: string | undefined;
  timezone: string;
  index?: number;
  first?: boolean;
  last?: boolean;
}

/** Denies every non-own property without Handlebars' console warning (same shape as its createProtoAccessControl). */
function denyAll(): { whitelist: Record<string, boolean>; defaultValue: boolean } {
  return { whitelist: Object.create(null) as Record<string, boolean>, defaultValue: false };
}

const { helperMissing, blockHelperMissing, ...callable } = hb.helpers;

/**
 * Handlebars rebuilds and re-wraps its whole helper table on every top-level template call (about 3 µs).
 * Calling a template the way it calls a partial (`partial: true`, with the tables handed in) skips that;
 * the objects below are what its own setup would build. test/render/engine.test.ts pins the behaviour.
 */
export interface RunOptions {
  partial: true;
  helpers: typeof callable;
  partials: Record<string, never>;
  decorators: Record<string, never>;
  hooks: { helperMissing: unknown; blockHelperMissing: unknown };
  protoAccessControl: { properties: ReturnType<typeof denyAll>; methods: ReturnType<typeof denyAll> };
  data: BuiltinData;
}

const shared = {
  partial: true as const,
  helpers: callable,
  partials: {},
  decorators: {},
  hooks: { helperMissing, blockHelperMissing },
  protoAccessControl: { properties: denyAll(), methods: denyAll() },
};

export function runOptions(data: BuiltinData): RunOptions {
  // Spelled out: an object spread here costs more than the rest of a small render.
  return {
    partial: true,
    helpers: shared.helpers,
    partials: shared.partials,
    decorators: shared.decorators,
    hooks: shared.hooks,
    protoAccessControl: shared.protoAccessControl,
    data,
  };
}

export type LeafTemplate = (context: unknown, options: RunOptions) => string;

export type CompiledLeaf =
  | { ok: true; template: LeafTemplate; analysis: LeafAnalysis }
  | { ok: false; problems: LeafProblem[]; analysis?: LeafAnalysis };

interface CompilerInternals {
  Compiler: new () => { compile(ast: unknown, options: object): unknown };
  JavaScriptCompiler: new () => { compile(env: unknown, options: object, context: undefined, asObject: true): unknown };
}

/** Parses, checks and compiles one template string; `asNames` are the `$each` element names in scope. */
export function compileLeaf(source: string, asNames: ReadonlySet<string>): CompiledLeaf {
  const parsed = parseLeaf(source);
  if ('problem' in parsed) return { ok: false, problems: [parsed.problem] };
  const analysis = analyzeTemplate(parsed.ast, asNames);
  if (analysis.problems.length > 0) return { ok: false, problems: analysis.problems, analysis };
  // The same steps as Handlebars.compile, done now rather than on first render so errors surface here.
  const options = { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: { ...knownHelpers }, data: true };
  try {
    const internals = hb as unknown as CompilerInternals;
    const environment = new internals.Compiler().compile(parsed.ast, options);
    const spec = new internals.JavaScriptCompiler().compile(environment, options, undefined, true);
    const template = hb.template(spec as Parameters<typeof hb.template>[0]) as unknown as LeafTemplate;
    return { ok: true, template, analysis };
  } catch (thrown) {
    return { ok: false, problems: [syntaxProblem(thrown, source)], analysis };
  }
}

export function parseLeaf(source: string): { ast: ProgramNode } | { problem: LeafProblem } {
  try {
    return { ast: hb.parse(source) as unknown as ProgramNode };
  } catch (thrown) {
    return { problem: syntaxProblem(thrown, source) };
  }
}

function syntaxProblem(thrown: unknown, source: string): LeafProblem {
  const { message, pos } = describeSyntaxError(thrown, source);
  const p: LeafProblem = { code: 'render/syntax', message };
  if (pos) p.pos = pos satisfies Position;
  return p;
}
