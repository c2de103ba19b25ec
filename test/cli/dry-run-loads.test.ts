import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeProject } from '../send/_project.js';

/**
 * What a cached `send --all --dry-run` loads (issue 12 item 1: cold start): the full Ajv compiler, ajv-formats'
 * plugin, markdown-it and the validation checks are loaded only on a validation-cache miss or a real run. A static
 * import that brings one of them back (as 281bdff's did) fails here. Every module is recorded: ESM through a loader
 * hook, CommonJS from require.cache at exit.
 */
const HOOK = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const file = process.env.DINGCAST_TEST_LOADS;
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { appendFileSync(file, url + '\\\\n'); return next(url, context); }
\`), import.meta.url, { data: { file } });
process.on('exit', () => appendFileSync(file, Object.keys(createRequire(import.meta.url).cache).join('\\n') + '\\n'));
`;

const template = 'version: 1\ndescription: t\nvariables: { type: object, properties: { who: { type: string, maxLength: 10 } } }\nexamples: { typical: { who: a } }\nmsg: { msgtype: markdown, markdown: { title: "hi", text: "hi {{who}}" } }\n';
const notifications = 'version: 1\napp: { agent_id: 1, kind: internal }\ntimezone: Asia/Shanghai\nnotifications:\n  n:\n    template: t@1\n    to: { users: [zhangsan] }\n    vars: { who: 张三 }\n    schedule: "0 9 * * 1-5"\n';

describe('a cached send --all --dry-run', () => {
  it('loads neither the Ajv compiler, ajv-formats\' plugin, markdown-it nor the validation checks', async () => {
    const dir = makeProject({ 'templates/t.yaml': template, 'notifications.yaml': notifications });
    const work = mkdtempSync(join(tmpdir(), 'dingcast-loads-'));
    const hook = join(work, 'hook.mjs');
    writeFileSync(hook, HOOK);
    const AT = ['--at', '2026-06-01T09:00:00+08:00'];
    const run = async (name: string) => {
      const loads = join(work, `${name}.txt`);
      writeFileSync(loads, '');
      const r = await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir], { env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, DINGCAST_TEST_LOADS: loads } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^ {2}n t@1/m);
      return readFileSync(loads, 'utf8').split('\n').filter(Boolean);
    };
    // Module by module: a file of tsc's dist/ or of node_modules is itself; a file of the bundled CLI
    // (scripts/bundle-bin.mjs) holds the modules esbuild names in its `// dist/…` and `// node_modules/…` lines.
    const modules = (files: string[]) =>
      files.flatMap((f) => {
        const path = f.startsWith('file:') ? fileURLToPath(f) : f;
        if (!/[/\\]dist[/\\]cli[/\\](bin|_bin-\w+)\.js$/.test(path)) return [path];
        return [path, ...(readFileSync(path, 'utf8').match(/^\/\/ (dist|node_modules)\/\S+$/gm) ?? []).map((line) => '/' + line.slice(3))];
      });
    const unwanted = [/node_modules\/ajv\/dist\/ajv\.js$/, /node_modules\/ajv-formats\/dist\/index\.js$/, /node_modules\/markdown-it\//, /dist\/core\/validate\/validateProject\.js$/, /dist\/core\/validate\/ajv\.js$/];
    // The first run misses validate's cache and validates: the recording sees what a miss loads.
    const miss = modules(await run('miss'));
    expect(miss.some((u) => /dist\/core\/validate\/validateProject\.js$/.test(u))).toBe(true);
    expect(miss.some((u) => /node_modules\/ajv\/dist\/ajv\.js$/.test(u))).toBe(true);
    const hitFiles = await run('hit');
    const hit = modules(hitFiles);
    // The CLI is the bundle: a few files, not the ~290 of tsc's dist/ and node_modules (cold start, issue 12 item 1).
    expect(hitFiles.filter((u) => /\.js$/.test(u)).length).toBeLessThan(60);
    expect(hit.some((u) => /node_modules\/handlebars\//.test(u))).toBe(true); // the recording sees dependencies (bundled or CommonJS)
    expect(hit.some((u) => /dist\/cli\/send\.js$/.test(u))).toBe(true); // and our own modules
    expect(hit.filter((u) => unwanted.some((re) => re.test(u)))).toEqual([]);
  });
});
