import type { Diagnostic } from '../diagnostics.js';
import { checkSendAdvice, checkSendShape, checkSendSize, msgBytes, MSG_BYTE_LIMIT } from '../msg/index.js';
import type { TemplateDef } from '../project.js';
import type { RenderContext, RenderError } from '../render/index.js';
import { renderTemplate } from '../renderNotification.js';
import { locate } from '../schemaErrors.js';
import { compiledTemplate } from '../compiled.js';
import { templatePathFor } from './templatePath.js';
import { describeSizeByVariable, sizeByVariable } from './sizeByVariable.js';
import { checkVars, variablesSchemaProblems, variableUsage } from './variables.js';
import { worstCaseOf } from './worstCase.js';
import { closestMatch } from '../suggest.js';
import { BLOCK_HELPERS, publicHelpers } from '../render/helpers.js';
import { markdownAdvice } from '../markdownAdvice.js';

type Problem = Parameters<typeof locate>[1][number];

/** Everything that can be checked in one template file on its own: variables, examples, rendered shape and size. */
export function checkTemplate(t: TemplateDef, ctx: RenderContext): Diagnostic[] {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const root = yamlRootOf(t);
  errors.push(...variablesSchemaProblems(t).map((p) => ({ ...p, path: ['variables', ...p.path] })));

  const compiled = compiledTemplate(t);
  const usage = variableUsage(t);
  const declared = Object.keys((t.variables.properties as Record<string, unknown> | undefined) ?? {});
  for (const u of usage.undeclared) {
    const guess = closestMatch(u.name, declared);
    const inner = useInString(valueAt(t.msg, u.path), u.name);
    errors.push({
      path: [...root, ...u.path],
      code: 'template/undeclared-variable',
      message: `the msg uses \`${u.name}\`, which \`variables\` does not declare${guess ? `; did you mean \`${guess}\`?` : ''}`,
      hint: guess ? `Write \`${guess}\`, or declare \`${u.name}\` under variables.properties.` : `Declare it under variables.properties (e.g. \`${u.name}: { type: string, maxLength: 50 }\`) or fix the name.`,
      ...(inner ? { inner } : {}),
    });
  }
  for (const name of usage.shadowed) {
    errors.push({ path: ['variables', 'properties', name], at: 'key', code: 'template/variable-shadows-helper', message: `variable \`${name}\` has the name of a helper, so \`{{${name}}}\` calls the helper instead of reading the variable`, hint: `Rename the variable (e.g. \`${name}_value\`).` });
  }
  for (const name of 'errors' in compiled ? [] : usage.unused) {
    warnings.push({ path: ['variables', 'properties', name], at: 'key', code: 'template/unused-variable', message: `variable \`${name}\` is declared but the msg never uses it`, hint: 'Use it in the msg or remove it from variables.' });
  }

  warnings.push(...markdownWarnings(t.msg));

  if ('errors' in compiled) {
    errors.push(...compiled.errors.map((e) => renderProblem(e, [], root)));
    return [...locate(t.source, errors), ...locate(t.source, warnings, 'warning')];
  }

  const shapeSeen = new Set<string>();
  const checkRendered = (msg: Record<string, unknown>, advise: boolean) => {
    const shape = checkSendShape(msg);
    // What DingTalk accepts but shows badly, or what only an SDK comment limits, is a warning (dingtalk-api.md, top).
    // HTML in markdown is reported by markdownAdvice, at its line inside the block; not twice.
    const advice = advise && shape.length === 0 ? checkSendAdvice(msg).filter((p) => p.code !== 'msg/markdown-html') : [];
    for (const [p, list] of [...shape.map((x) => [x, errors] as const), ...advice.map((x) => [x, warnings] as const)]) {
      const path = [...root, ...templatePathFor(t.msg, p.path)];
      const key = `${path.join('.')}|${p.code}`;
      if (shapeSeen.has(key)) continue;
      shapeSeen.add(key);
      list.push({ path, at: p.code === 'msg/unknown-key' ? 'key' : 'value', code: p.code, message: p.message, hint: p.hint });
    }
  };

  const exampleNames = Object.keys(t.examples);
  if (exampleNames.length === 0) {
    warnings.push({ path: [], code: 'template/no-examples', message: 'the template has no examples', hint: 'Add `examples: { typical: {...} }`: previews, tests and the size check use them.' });
  }
  for (const name of exampleNames) {
    const vars = t.examples[name] ?? {};
    const varProblems = checkVars(t, vars);
    errors.push(...varProblems.map((p) => ({ ...p, path: ['examples', name, ...p.path], message: `example \`${name}\`: ${p.message}` })));
    // Invalid variables would only repeat themselves as render errors. Undeclared names (reported above) get a
    // stand-in value, so the rendered msg is still checked: one run shows every problem.
    if (varProblems.length > 0) continue;
    const standIns = Object.fromEntries(usage.undeclared.filter((u) => !(u.name in vars)).map((u) => [u.name, 'x']));
    const r = renderTemplate(t, { ...standIns, ...vars }, ctx);
    if (!r.ok) {
      errors.push(...r.errors.map((e) => renderProblem(e, ['examples', name], root)));
      continue;
    }
    checkRendered(r.msg, true);
    for (const p of checkSendSize(r.msg)) {
      const big = p.code === 'msg/too-large' ? describeSizeByVariable(sizeByVariable(vars, msgBytes(r.msg), (v) => { const again = renderTemplate(t, { ...standIns, ...v }, ctx); return again.ok ? again.msg : undefined; })) : '';
      errors.push({ path: ['examples', name], at: 'key', code: p.code, message: `example \`${name}\`: ${p.message}${big}`, hint: p.hint });
    }
  }

  // The worst case the variables allow: unbounded variables make the size unknowable, bounded ones may still overflow.
  const worst = worstCaseOf(t.variables);
  // The 2048-byte limit is asyncsend_v2's: DingTalk documents none for sendbytemplate's data.
  const sized = t.kind === 'msg';
  const unboundedUsed = sized ? worst.unbounded.filter((p) => usage.used.has(p.split(/[.[ ]/)[0] ?? p)) : [];
  for (const p of unboundedUsed) {
    const root = p.split(/[.[ ]/)[0] ?? p;
    errors.push({ path: ['variables', 'properties', root], at: 'key', code: 'size/unbounded-variable', message: `\`${p}\` has no maxLength/maxItems, so the msg can grow past DingTalk's ${MSG_BYTE_LIMIT}-byte limit without bound`, hint: 'Add `maxLength` to strings and `maxItems` to lists (or an `enum`), sized so the whole msg stays under 2048 bytes.' });
  }
  if (usage.undeclared.length === 0) {
    const r = renderTemplate(t, worst.value as Record<string, unknown>, ctx);
    if (r.ok) {
      checkRendered(r.msg, false);
      const bytes = msgBytes(r.msg);
      if (sized && bytes > MSG_BYTE_LIMIT && unboundedUsed.length === 0) {
        warnings.push({ path: ['variables'], at: 'key', code: 'size/worst-case', message: `with every variable at its maximum the msg reaches ${bytes} bytes, over DingTalk's ${MSG_BYTE_LIMIT} (strings at maxLength counted as 3-byte Chinese characters, lists at maxItems)`, hint: 'Lower maxLength/maxItems, or shorten the fixed text; DingTalk silently drops an oversize msg.' });
      }
    }
  }
  return [...locate(t.source, errors), ...locate(t.source, warnings, 'warning')];
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), root);
}

/** Where `name` is used inside a `{{ }}` of a template string: line and column within the string. */
function useInString(text: unknown, name: string): { line: number; column: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`\\{\\{[^}]*?(?<![\\w.@])(${escaped})(?![\\w])`).exec(text);
  if (!m || m.index === undefined) return undefined;
  const at = m.index + m[0].length - name.length;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The markdown fields DingTalk renders (markdown.text, action_card.markdown), checked in the template's source text. */
function markdownWarnings(msg: unknown): Problem[] {
  const m = (msg ?? {}) as { markdown?: { text?: unknown }; action_card?: { markdown?: unknown } };
  const fields: [string[], unknown][] = [
    [['msg', 'markdown', 'text'], m.markdown?.text],
    [['msg', 'action_card', 'markdown'], m.action_card?.markdown],
  ];
  return fields.flatMap(([path, text]) => (typeof text === 'string' ? markdownAdvice(text).map((a) => ({ path, code: a.code, message: a.message, hint: a.hint, inner: { line: a.line, column: a.column } })) : []));
}

function unknownHelperHint(e: RenderError): string | undefined {
  const name = /unknown helper "([^"]+)"/.exec(e.message)?.[1];
  const guess = name !== undefined ? closestMatch(name, [...Object.keys(publicHelpers), ...BLOCK_HELPERS]) : undefined;
  return guess ? `Did you mean \`${guess}\`? (${e.hint ?? ''})` : e.hint;
}

/** Where a msg path starts in the template file: under `msg:`, or at the top for `sendbytemplate:` (its msg is `{msgtype, sendbytemplate}`). */
export function yamlRootOf(t: TemplateDef): (string | number)[] {
  return t.kind === 'msg' ? ['msg'] : [];
}

export function renderProblem(e: RenderError, prefix: (string | number)[], root: (string | number)[] = ['msg']): Problem {
  const inString = /\d+:\d+\)$/.test(e.message) ? '' : e.line !== undefined ? ` (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''} of \`${e.path.join('.')}\`)` : e.path.length > 0 ? ` (in \`${[...root, ...e.path].join('.')}\`)` : '';
  const hint =
    e.code === 'render/missing-variable'
      ? 'Give the variable a value, or make it optional with {{default name "…"}}.'
      : e.code === 'render/syntax' && /got 'EOF'/.test(e.message)
        ? 'A block is not closed: every {{#each}}, {{#if}} or {{#unless}} needs its {{/each}}, {{/if}} or {{/unless}}.'
        : e.code === 'render/unknown-helper'
          ? unknownHelperHint(e)
        : e.code === 'render/syntax'
          ? 'Check the {{ }} at this position: each {{ needs a matching }}; literal braces are written \\{{.'
          : undefined;
  const problem: Problem = { path: prefix.length > 0 ? prefix : [...root, ...e.path], at: prefix.length > 0 ? 'key' : 'value', code: e.code, message: e.message + inString, hint: hint ?? e.hint };
  // A problem inside the template text itself points at its exact line and column in the file.
  if (prefix.length === 0 && e.line !== undefined) problem.inner = { line: e.line, column: e.column ?? 1 };
  return problem;
}
