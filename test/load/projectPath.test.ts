import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProjectPath } from '../../src/core/load/projectPath.js';
import { resolveInsideProject } from '../../src/io/projectPath.js';

describe('checkProjectPath: the one rule for paths written in project files', () => {
  it.each([
    ['data/vars.json', 'data/vars.json'],
    ['./data/vars.json', 'data/vars.json'],
    ['data/../vars.json', 'vars.json'],
    ['data\\vars.json', 'data/vars.json'],
  ])('%s is inside', (written, path) => {
    expect(checkProjectPath(written)).toEqual({ ok: true, path });
  });

  it.each([
    ['/etc/passwd', /absolute/],
    ['C:\\secrets.yaml', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['~/x.yaml', /absolute/],
    ['../x.yaml', /outside/],
    ['data/../../x.yaml', /outside/],
    ['..\\x.yaml', /outside/],
    ['..', /outside/],
    ['.', /project folder itself/],
    ['', /empty/],
    ['a\0b', /NUL/],
  ])('%j is refused', (written, message) => {
    const r = checkProjectPath(written);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('resolveInsideProject: symbolic links must not lead out', () => {
  const root = mkdtempSync(join(tmpdir(), 'dingcast-path-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'p/data'), { recursive: true });
  writeFileSync(join(root, 'secret.yaml'), 'x: 1\n');
  writeFileSync(join(root, 'p/data/in.yaml'), 'x: 1\n');
  symlinkSync(join(root, 'secret.yaml'), join(root, 'p/out.yaml'));
  symlinkSync('data/in.yaml', join(root, 'p/in-link.yaml'));
  symlinkSync(root, join(root, 'p/up'));

  it.each([
    ['data/in.yaml', true],
    ['in-link.yaml', true],
    ['missing.yaml', true],
    ['out.yaml', false],
    ['up/secret.yaml', false],
    ['../secret.yaml', false],
  ])('%s → inside: %s', (written, inside) => {
    expect(resolveInsideProject(join(root, 'p'), written).ok).toBe(inside);
  });
});
