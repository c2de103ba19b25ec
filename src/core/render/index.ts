/**
 * The rendering engine: a template's `msg` tree, in which every string may hold Handlebars and
 * `{ $each, as, item }` repeats a node per list element, becomes a DingTalk `msg` object. Pure: the time,
 * time zone and ids come in through RenderContext.
 */
import { makeError } from './errors.js';
import { isoInZone } from '../time.js';
import { todayIn } from './date.js';
import { runOptions, type BuiltinData } from './environment.js';
import { isPlainObject } from './shape.js';
import { TreeCompiler, type Scope } from './tree.js';
import type { CompiledMsg, RenderContext, RenderError, RenderResult } from './types.js';

export type { CompiledMsg, RenderContext, RenderError, RenderResult } from './types.js';
export { collectVariableUses } from './variables.js';

/** Compiles every string of the template once; all syntax and structure problems are reported together. */
export function compileMsg(template: unknown): CompiledMsg | { errors: RenderError[] } {
  if (!isPlainObject(template)) return { errors: [makeError('render/bad-template', [], 'msg must be a map (a DingTalk msg object)')] };
  const compiler = new TreeCompiler();
  const root = compiler.node(template, [], new Set());
  if (compiler.errors.length > 0) return { errors: compiler.errors };
  const usesToday = compiler.usesToday;
  // The instant's words (`@now`, `@today`) for the last (instant, zone) this template rendered: a plan renders one
  // template for many rows at one instant, and the zone arithmetic cost half of a small render. A pure function of
  // the two, so a render at another instant or in another zone recomputes (test/render/instant-memo.test.ts).
  let last: Instant | undefined;
  const instantOf = (ms: number, ctx: RenderContext): Instant | { error: RenderError } => {
    if (last && last.ms === ms && last.timezone === ctx.timezone) return last;
    const words = instantWords(ctx, usesToday);
    if ('error' in words) return words;
    last = { ms, timezone: ctx.timezone, ...words };
    return last;
  };
  return {
    render(vars, ctx) {
      if (!isPlainObject(vars)) return { ok: false, errors: [makeError('render/bad-variables', [], 'variables must be a map')] };
      const data = builtinData(vars, ctx, instantOf);
      if ('error' in data) return { ok: false, errors: [data.error] };
      const scope: Scope = { ctx: vars, opts: runOptions(data), state: { errors: null }, element: null };
      const msg = root(scope) as Record<string, unknown>;
      return scope.state.errors ? { ok: false, errors: scope.state.errors } : { ok: true, msg };
    },
  };
}

/** Compile and render in one go; use compileMsg to render one template many times. */
export function renderMsg(template: unknown, vars: Record<string, unknown>, ctx: RenderContext): RenderResult {
  const compiled = compileMsg(template);
  return 'errors' in compiled ? { ok: false, errors: compiled.errors } : compiled.render(vars, ctx);
}

interface Instant {
  ms: number;
  timezone: string;
  now: string;
  today: string | undefined;
}

function builtinData(vars: Record<string, unknown>, ctx: RenderContext, instantOf: (ms: number, ctx: RenderContext) => Instant | { error: RenderError }): BuiltinData | { error: RenderError } {
  const ms = ctx.now instanceof Date ? ctx.now.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) return { error: makeError('render/bad-context', [], 'the render time (ctx.now) is not a valid date') };
  const instant = instantOf(ms, ctx);
  if ('error' in instant) return instant;
  return { root: vars, now: instant.now, today: instant.today, notification: ctx.notification, run_id: ctx.runId, slot: ctx.slot, timezone: ctx.timezone };
}

function instantWords(ctx: RenderContext, usesToday: boolean): { now: string; today: string | undefined } | { error: RenderError } {
  let today: string | undefined;
  if (usesToday) {
    try {
      today = todayIn(ctx.now, ctx.timezone);
    } catch {
      return { error: makeError('render/bad-timezone', [], `unknown time zone "${ctx.timezone}"`) };
    }
  }
  return { now: isoOf(ctx.now, ctx.timezone), today };
}

/**
 * `@now` in the project's zone with its offset (`2024-03-05T00:30:05.000+08:00`): a message that prints it shows
 * Beijing time to people in Beijing, and it is still ISO 8601 for `date` and anything else that reads it. An unknown
 * zone is reported on its own (validate, `@today`, `date`); `@now` then stays in UTC rather than failing twice.
 */
function isoOf(now: Date, timezone: string): string {
  try {
    return isoInZone(now, timezone);
  } catch {
    return now.toISOString();
  }
}
