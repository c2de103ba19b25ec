import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import { formatAnnotation } from '../../src/review/annotations.js';
import { appendStepSummary } from '../../src/review/stepSummary.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { copyExampleProject } from './_git.js';

const GH = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repoRoot };
const annotationLines = (s: string) => s.split('\n').filter((l) => /^::(error|warning) /.test(l));

function expectedAnnotation(d: Diagnostic, prefix: string): string {
  const where = d.line > 0 ? `,line=${d.line},col=${d.column}` : '';
  const msg = (d.hint ? `${d.message}\n${d.hint}` : d.message).replace(/%/g, '%25').replace(/\n/g, '%0A');
  return `::${d.severity} file=${prefix}/${d.file}${where},title=dingcast ${d.code.replace(/:/g, '%3A')}::${msg}`;
}

describe('validate under GitHub Actions', () => {
  // Fixtures from the corpus with errors and warnings of every origin (YAML, schema, references, size, secrets):
  // one annotation per diagnostic, at its position, with the path from the checkout.
  const fixtures = ['yaml-bad-indent', 'template-unknown-key', 'wrong-version-pin', 'unused-variable-warning', 'vars-file-missing', 'text-2049-bytes', 'secret-in-notifications', 'ok-hostile-values'];
  it('uses fixtures that exist', () => {
    const all = readdirSync(join(repoRoot, 'test/fixtures'));
    expect(fixtures.filter((f) => !all.includes(f))).toEqual([]);
  });

  it.each(fixtures)('annotates %s', async (name) => {
    const project = `test/fixtures/${name}`;
    const json = await runCli(['-p', project, 'validate', '--format', 'json']);
    const result = JSON.parse(json.stdout) as { errors: Diagnostic[]; warnings: Diagnostic[] };
    const diagnostics = [...result.errors, ...result.warnings];
    expect(annotationLines(json.stdout + json.stderr)).toEqual([]); // not outside Actions

    const r = await runCli(['-p', project, 'validate'], { env: GH });
    expect(r.code).toBe(json.code);
    expect(annotationLines(r.stdout).sort()).toEqual(diagnostics.map((d) => expectedAnnotation(d, project)).sort());
  });

  it('keeps stdout pure JSON with --format json (annotations go to stderr)', async () => {
    const project = 'test/fixtures/wrong-version-pin';
    const r = await runCli(['-p', project, 'validate', '--format', 'json'], { env: GH });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { valid: boolean }).valid).toBe(false);
    expect(annotationLines(r.stderr)).toEqual([
      '::error file=test/fixtures/wrong-version-pin/notifications.yaml,line=8,col=15,title=dingcast reference/version-pin::`daily@2` pins version 2, but templates/daily.yaml is version 1%0AReview the template change, then write `daily@1`.',
    ]);
  });

  it('names files from the current folder when GITHUB_WORKSPACE is not set', async () => {
    const r = await runCli(['-p', 'wrong-version-pin', 'validate'], { cwd: join(repoRoot, 'test/fixtures'), env: { GITHUB_ACTIONS: 'true' } });
    expect(annotationLines(r.stdout)[0]).toMatch(/^::error file=wrong-version-pin\/notifications\.yaml,line=8,col=15,/);
  });
});

describe('annotation escaping', () => {
  it.each<[string, Diagnostic, string]>([
    ['newline, percent and CR in the message', { severity: 'error', code: 'x/y', file: 'a.yaml', line: 2, column: 3, message: '100% wrong\r\nsecond' }, '::error file=a.yaml,line=2,col=3,title=dingcast x/y::100%25 wrong%0D%0Asecond'],
    ['comma and colon in a property', { severity: 'warning', code: 'c:d', file: 'x,y:z.yaml', line: 0, column: 0, message: 'm' }, '::warning file=x%2Cy%3Az.yaml,title=dingcast c%3Ad::m'],
    ['a message cannot end the command early', { severity: 'error', code: 'e', file: 'f', line: 1, column: 0, message: 'a::b' }, '::error file=f,line=1,col=1,title=dingcast e::a::b'],
  ])('%s', (_name, d, expected) => {
    expect(formatAnnotation(d)).toBe(expected);
  });
});

describe('job summary', () => {
  it('render appends a table of every message to $GITHUB_STEP_SUMMARY', async () => {
    const project = copyExampleProject();
    const summary = join(project, 'summary.md');
    const json = await runCli(['render', '--dry-run', '--format', 'json'], { cwd: project });
    const items = (JSON.parse(json.stdout) as { items: { id: string; template: string; bytes: number; calls: unknown[] }[] }).items;
    const r = await runCli(['render', '--dry-run'], { cwd: project, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('### dingcast render\n')).toBe(true);
    for (const i of items) expect(text).toContain(`| ✅ | **${i.id}** | ${i.template} | ${i.bytes}/2048 B`);
    expect(text.split('\n').filter((l) => l.startsWith('| ✅ |'))).toHaveLength(items.length);
  });

  it('appendStepSummary appends (never truncates) and writes nothing outside Actions', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dingcast-summary-')), 's.md');
    writeFileSync(file, 'first\n');
    expect(await appendStepSummary('## a', { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(await appendStepSummary('## b\n\n\n', { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(await appendStepSummary('## c', { GITHUB_STEP_SUMMARY: file })).toBe(false);
    expect(await appendStepSummary('## d', { GITHUB_ACTIONS: 'true' })).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('first\n## a\n\n## b\n\n');
  });
});
