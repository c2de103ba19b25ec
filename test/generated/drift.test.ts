import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committedDir = join(root, 'src', 'generated');
const freshDir = mkdtempSync(join(tmpdir(), 'dingcast-generated-'));
afterAll(() => rmSync(freshDir, { recursive: true, force: true }));

// Regenerate from schema/ exactly as `npm run generate` does, only into a temp dir.
execFileSync(process.execPath, [join(root, 'scripts', 'generate-validators.mjs'), freshDir], { cwd: root, stdio: 'pipe' });

const schemaNames = readdirSync(join(root, 'schema'))
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.slice(0, -'.schema.json'.length));

describe('src/generated/ matches schema/ (run `npm run generate` after changing a schema)', () => {
  it('has one validator per schema and nothing else', () => {
    expect(readdirSync(committedDir).sort()).toEqual(schemaNames.map((n) => `${n}.validator.ts`).sort());
    expect(readdirSync(committedDir).sort()).toEqual(readdirSync(freshDir).sort());
  });

  it.each(readdirSync(freshDir).map((f) => [f]))('%s is what the generator produces today', (file) => {
    const committed = readFileSync(join(committedDir, file), 'utf8');
    // Not toBe on the whole text: a 90 kB string diff is unreadable; the first differing line says enough.
    const fresh = readFileSync(join(freshDir, file), 'utf8').split('\n');
    const lines = committed.split('\n');
    const first = fresh.findIndex((line, i) => line !== lines[i]);
    expect({ file, firstDifferentLine: first === -1 ? undefined : first + 1, lines: lines.length }).toEqual({
      file,
      firstDifferentLine: undefined,
      lines: fresh.length,
    });
  });
});
