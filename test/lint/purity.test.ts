import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The fence is plain syntax rules: without the type-checked rules ESLint need not build a TypeScript program for the
// probe (14 s of the file's 18 s). Every other rule still comes from the repository's eslint.config.js.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

/** The rules a probe breaks when linted as if it were the file at `path` (the repository's own eslint.config.js). */
async function brokenRules(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

// Each line alone breaks the fence of src/core (eslint.config.js); src/io may do all of them.
const PROBES: [string, string][] = [
  ["import { readFileSync } from 'fs';\nexport const x = readFileSync;", 'bare fs'],
  ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'node:fs'],
  ["import { execFileSync } from 'node:child_process';\nexport const x = execFileSync;", 'node:child_process'],
  ["import { spawn } from 'child_process';\nexport const x = spawn;", 'bare child_process'],
  ["import { createRequire } from 'node:module';\nexport const x = createRequire;", 'node:module'],
  ["import { homedir } from 'node:os';\nexport const x = homedir;", 'node:os'],
  ["import { request } from 'undici';\nexport const x = request;", 'undici'],
  ['export const x = process.env.HOME;', 'the global process'],
  ['export const x = Date.now();', 'Date.now()'],
  ['export const x = new Date();', 'new Date()'],
  ['export let count = 0;', 'module-level let'],
  ['export const seen = new Map<string, number>();', 'a module-level memo'],
];

describe('the purity fence of src/core', () => {
  it.each(PROBES)('refuses %j (%s)', async (code) => {
    const broken = await brokenRules(code, 'src/core/zones.ts');
    expect(broken.filter((m) => /^no-restricted-(imports|globals|syntax):/.test(m)), broken.join('\n')).toHaveLength(1);
  });

  it.each(PROBES)('lets src/io do %j (%s)', async (code) => {
    const broken = await brokenRules(code, 'src/io/readText.ts');
    expect(broken.filter((m) => /^no-restricted-/.test(m))).toEqual([]);
  });

  it('allows what is pure: node:crypto, node:path, a date from its argument, a constant table', async () => {
    const code = [
      "import { createHash } from 'node:crypto';",
      "import { posix } from 'node:path';",
      'export const hash = (t: string): string => createHash(\'sha256\').update(t).digest(\'hex\') + posix.sep;',
      'export const at = (ms: number): Date => new Date(ms);',
      "export const NAMES = new Map([['a', 1]]);",
    ].join('\n');
    expect(await brokenRules(code, 'src/core/zones.ts')).toEqual([]);
  });
});
