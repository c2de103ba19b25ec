/** Public shapes of the rendering engine (re-exported from ./index.js). */

/** Everything a render may depend on besides the variables: passed in, never read from the clock. */
export interface RenderContext {
  now: Date;
  /** IANA zone, e.g. `Asia/Shanghai`: used by `@today` and the `date` helper. */
  timezone: string;
  notification?: string;
  runId?: string;
  /** `@slot`: the schedule slot being fired by `send --due`. */
  slot?: string;
}

export interface RenderError {
  /** Stable code, e.g. `render/missing-variable`. */
  code: string;
  /** Path in the TEMPLATE tree, e.g. `['oa', 'body', 'form', 'item', 'value']`. */
  path: (string | number)[];
  message: string;
  /** 1-based position inside the string at `path`, when known. */
  line?: number;
  column?: number;
  hint?: string;
}

export type RenderResult = { ok: true; msg: Record<string, unknown> } | { ok: false; errors: RenderError[] };

export interface CompiledMsg {
  render(vars: Record<string, unknown>, ctx: RenderContext): RenderResult;
}

/** A root variable that a template reads, and the template path of the string (or `$each`) that reads it. */
export interface VariableUse {
  name: string;
  path: (string | number)[];
}
