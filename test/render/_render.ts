import { renderMsg, type RenderContext, type RenderError } from '../../src/core/render/index.js';

/** 16:30:05 UTC on 4 March is already 00:30:05 on 5 March in Shanghai: a day boundary on purpose. */
export const CTX: RenderContext = {
  now: new Date('2024-03-04T16:30:05.000Z'),
  timezone: 'Asia/Shanghai',
  notification: 'release-api',
  runId: '20240304T163005Z-abc123',
};

/** Renders one string leaf; gives the text, or the errors' codes and the first error. */
export function renderText(source: string, vars: Record<string, unknown> = {}, ctx: RenderContext = CTX): string | { codes: string[]; first: RenderError } {
  const r = renderMsg({ t: source }, vars, ctx);
  if (r.ok) return r.msg.t as string;
  return { codes: r.errors.map((e) => e.code), first: r.errors[0] as RenderError };
}

/** The code of the first error, or the rendered text. */
export function outcome(source: string, vars: Record<string, unknown> = {}, ctx: RenderContext = CTX): string {
  const r = renderText(source, vars, ctx);
  return typeof r === 'string' ? r : `!${r.first.code}`;
}
