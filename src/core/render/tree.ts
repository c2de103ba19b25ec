import { compileLeaf, runOptions, type BuiltinData, type RunOptions } from './environment.js';
import { errorFromThrown, makeError } from './errors.js';
import { publicHelpers } from './helpers.js';
import { MISSING, missingVariable, notAList, readPath } from './lookup.js';
import { isEachNode, isPlainObject, readEach, type EachSpec, type TemplatePath } from './shape.js';
import type { RenderError } from './types.js';

/** What one render carries down the tree. */
export interface Scope {
  ctx: Record<string, unknown>;
  opts: RunOptions;
  state: { errors: RenderError[] | null };
  /** The `$each` element we are inside, if any: only turned into words when an error needs them. */
  element: { source: string; index: number; outer: Scope } | null;
}

function trail(s: Scope): string {
  let words = '';
  for (let e = s.element; e; e = e.outer.element) words += ` in element ${e.index} of "${e.source}"`;
  return words;
}

export type Render = (s: Scope) => unknown;
type Spread = (s: Scope, out: unknown[]) => void;

const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(publicHelpers));

function fail(s: Scope, error: RenderError): void {
  (s.state.errors ??= []).push(error);
}

/**
 * Turns the template tree into closures once, so a render is a walk over prepared functions: constants are
 * returned as they are, each templated string calls its compiled Handlebars template.
 */
export class TreeCompiler {
  readonly errors: RenderError[] = [];
  usesToday = false;

  node(value: unknown, path: TemplatePath, asNames: ReadonlySet<string>): Render {
    if (typeof value === 'string') return value.includes('{{') ? this.leaf(value, path, asNames) : () => value;
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) return () => value;
    if (Array.isArray(value)) return this.array(value, path, asNames);
    if (isEachNode(value)) {
      const spread = this.each(value, path, asNames);
      return (s) => {
        const out: unknown[] = [];
        spread(s, out);
        return out;
      };
    }
    if (isPlainObject(value)) return this.object(value, path, asNames);
    this.errors.push(makeError('render/bad-template', path, `a template holds text, numbers, booleans, null, lists and maps; got ${typeof value}`));
    return () => null;
  }

  private leaf(source: string, path: TemplatePath, asNames: ReadonlySet<string>): Render {
    const compiled = compileLeaf(source, asNames);
    if (!compiled.ok) {
      for (const p of compiled.problems) this.errors.push(makeError(p.code, path, p.message, p.pos, p.hint));
      return () => '';
    }
    if (compiled.analysis.usesToday) this.usesToday = true;
    const template = compiled.template;
    return (s) => {
      try {
        return template(s.ctx, s.opts);
      } catch (thrown) {
        fail(s, errorFromThrown(thrown, path, trail(s)));
        return '';
      }
    };
  }

  private array(list: unknown[], path: TemplatePath, asNames: ReadonlySet<string>): Render {
    const parts: { spread: boolean; fn: Render | Spread }[] = list.map((el, i) =>
      isEachNode(el) ? { spread: true, fn: this.each(el, [...path, i], asNames) } : { spread: false, fn: this.node(el, [...path, i], asNames) },
    );
    if (!parts.some((p) => p.spread)) {
      const fns = parts.map((p) => p.fn as Render);
      return (s) => fns.map((fn) => fn(s));
    }
    return (s) => {
      const out: unknown[] = [];
      for (const p of parts) {
        if (p.spread) (p.fn)(s, out);
        else out.push((p.fn as Render)(s));
      }
      return out;
    };
  }

  private object(obj: Record<string, unknown>, path: TemplatePath, asNames: ReadonlySet<string>): Render {
    const keys = Object.keys(obj);
    if (keys.includes('__proto__')) this.errors.push(makeError('render/bad-key', path, 'the key "__proto__" is not allowed'));
    const safeKeys = keys.filter((k) => k !== '__proto__');
    const fns = safeKeys.map((k) => this.node(obj[k], [...path, k], asNames));
    const n = safeKeys.length;
    return (s) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) out[safeKeys[i] as string] = (fns[i] as Render)(s);
      return out;
    };
  }

  /** `{ $each, as, item }`: pushes one rendered `item` per element of the list variable. */
  private each(node: Record<string, unknown>, path: TemplatePath, asNames: ReadonlySet<string>): Spread {
    const spec = readEach(node, HELPER_NAMES);
    if ('problem' in spec) {
      this.errors.push(makeError('render/bad-each', path, spec.problem));
      return () => undefined;
    }
    const item = this.node(spec.item, [...path, 'item'], new Set([...asNames, spec.as]));
    return (s, out) => {
      const list = readPath(s.ctx, spec.keys);
      if (list === MISSING || list === undefined) {
        fail(s, makeError('render/missing-variable', [...path, '$each'], missingVariable(spec.source).message + trail(s)));
      } else if (!Array.isArray(list)) {
        const e = notAList(spec.source);
        fail(s, makeError(e.code, [...path, '$each'], e.message + trail(s), undefined, e.hint));
      } else {
        for (let i = 0; i < list.length; i++) out.push(item(elementScope(s, spec, list, i)));
      }
    };
  }
}

function elementScope(s: Scope, spec: EachSpec, list: unknown[], i: number): Scope {
  // Object.assign costs a fraction of a spread, per element; but it would turn an own "__proto__" key
  // (JSON.parse makes those) into a prototype, so such variables take the spread.
  const ctx = Object.hasOwn(s.ctx, '__proto__') ? { ...s.ctx } : Object.assign({}, s.ctx);
  ctx[spec.as] = list[i];
  const d = s.opts.data;
  const data: BuiltinData = {
    root: ctx,
    now: d.now,
    today: d.today,
    notification: d.notification,
    run_id: d.run_id,
    slot: d.slot,
    timezone: d.timezone,
    index: i,
    first: i === 0,
    last: i === list.length - 1,
  };
  return { ctx, opts: runOptions(data), state: s.state, element: { source: spec.source, index: i, outer: s } };
}
