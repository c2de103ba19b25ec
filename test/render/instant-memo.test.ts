import { describe, expect, it } from 'vitest';
import { compileMsg, type CompiledMsg, type RenderContext } from '../../src/core/render/index.js';
import { CTX } from './_render.js';

/**
 * A compiled template remembers `@now`/`@today` for the last (instant, zone) it rendered (src/core/render/index.ts).
 * Every case where that memo could answer wrongly: another instant, another zone, back to the first one, the same
 * instant in a new Date object, a Date changed in place, an unknown zone (an error, never remembered), a bad date.
 */
function compiled(source: string): CompiledMsg {
  const c = compileMsg({ t: source });
  if ('errors' in c) throw new Error(JSON.stringify(c.errors));
  return c;
}

function text(c: CompiledMsg, ctx: RenderContext): string {
  const r = c.render({}, ctx);
  return r.ok ? (r.msg.t as string) : `!${r.errors[0]!.code}`;
}

/** The same render by a template compiled afresh (no memo): what every memoised answer must equal. */
function fresh(source: string, ctx: RenderContext): string {
  return text(compiled(source), ctx);
}

const SOURCE = '{{@now}} {{@today}} {{date "YYYY-MM-DD HH:mm"}}';
const LATER = new Date('2024-03-04T15:59:59.000Z'); // still the 4th in Shanghai, a different @now and @today than CTX

describe('the compiled template\'s instant memo', () => {
  it('another instant, then the first one again, gets its own @now and @today', () => {
    const c = compiled(SOURCE);
    const a = text(c, CTX);
    const b = text(c, { ...CTX, now: LATER });
    expect(a).toBe('2024-03-05T00:30:05.000+08:00 2024-03-05 2024-03-05 00:30');
    expect(b).toBe('2024-03-04T23:59:59.000+08:00 2024-03-04 2024-03-04 23:59');
    expect(b).toBe(fresh(SOURCE, { ...CTX, now: LATER }));
    expect(text(c, CTX)).toBe(a);
  });

  it('one millisecond later is another instant', () => {
    const c = compiled('{{@now}}');
    expect(text(c, CTX)).toBe('2024-03-05T00:30:05.000+08:00');
    expect(text(c, { ...CTX, now: new Date(CTX.now.getTime() + 1) })).toBe('2024-03-05T00:30:05.001+08:00');
  });

  it('another zone at the same instant gets that zone\'s words', () => {
    const c = compiled(SOURCE);
    expect(text(c, CTX)).toBe(fresh(SOURCE, CTX));
    for (const timezone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Shanghai']) {
      expect(text(c, { ...CTX, timezone })).toBe(fresh(SOURCE, { ...CTX, timezone }));
    }
    expect(text(c, { ...CTX, timezone: 'UTC' })).toBe('2024-03-04T16:30:05.000+00:00 2024-03-04 2024-03-04 16:30');
  });

  it('a Date changed in place is read anew (the memo keys on the milliseconds, not the object)', () => {
    const c = compiled('{{@now}} {{@today}}');
    const now = new Date(CTX.now.getTime());
    const ctx = { ...CTX, now };
    expect(text(c, ctx)).toBe('2024-03-05T00:30:05.000+08:00 2024-03-05');
    now.setTime(LATER.getTime());
    expect(text(c, ctx)).toBe('2024-03-04T23:59:59.000+08:00 2024-03-04');
  });

  it('an unknown zone is an error every time, and does not disturb the remembered one', () => {
    const c = compiled('{{@today}}');
    expect(text(c, CTX)).toBe('2024-03-05');
    expect(text(c, { ...CTX, timezone: 'Nowhere/Else' })).toBe('!render/bad-timezone');
    expect(text(c, { ...CTX, timezone: 'Nowhere/Else' })).toBe('!render/bad-timezone');
    expect(text(c, CTX)).toBe('2024-03-05');
  });

  it('an invalid date is refused, also right after a good render', () => {
    const c = compiled('{{@now}}');
    expect(text(c, CTX)).toBe('2024-03-05T00:30:05.000+08:00');
    expect(text(c, { ...CTX, now: new Date(Number.NaN) })).toBe('!render/bad-context');
    expect(text(c, CTX)).toBe('2024-03-05T00:30:05.000+08:00');
  });

  it('a template that does not use @today still gets @now right after a zone change', () => {
    const c = compiled('{{@now}}');
    expect(text(c, { ...CTX, timezone: 'Nowhere/Else' })).toBe('2024-03-04T16:30:05.000Z');
    expect(text(c, CTX)).toBe('2024-03-05T00:30:05.000+08:00');
  });
});
