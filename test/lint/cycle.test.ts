import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside src/ so the repository's eslint.config.js applies as to any module; removed afterwards.
const dir = mkdtempSync(join(root, 'src', 'cycle-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import circles', () => {
  it('fail lint (import-x/no-cycle), and a one-way import does not', async () => {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = (): number => a.length;\n");
    writeFileSync(join(dir, 'c.ts'), "import { b } from './b.js';\nexport const c = (): number => b();\n");
    // import-x/no-cycle resolves imports itself: the type-checked rules (a TypeScript program for the probes) are off.
    const results = await new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked }).lintFiles([join(dir, 'a.ts'), join(dir, 'b.ts'), join(dir, 'c.ts')]);
    const cycles = results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.filter((m) => m.ruleId === 'import-x/no-cycle').length]);
    expect(cycles).toEqual([['a.ts', 1], ['b.ts', 1], ['c.ts', 0]]);
  });
});
