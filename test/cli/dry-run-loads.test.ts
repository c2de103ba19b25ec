import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
    const unwanted = [/node_modules\/ajv\/dist\/ajv\.js$/, /node_modules\/ajv-formats\/dist\/index\.js$/, /node_modules\/markdown-it\//, /dist\/core\/validate\/validateProject\.js$/, /dist\/core\/validate\/ajv\.js$/];
    // The first run misses validate's cache and validates: the recording sees what a miss loads.
    const miss = await run('miss');
    expect(miss.some((u) => /dist\/core\/validate\/validateProject\.js$/.test(u))).toBe(true);
    expect(miss.some((u) => /node_modules\/ajv\/dist\/ajv\.js$/.test(u))).toBe(true);
    const hit = await run('hit');
    expect(hit.some((u) => /node_modules\/handlebars\//.test(u))).toBe(true); // the recording works for CommonJS
    expect(hit.some((u) => /dist\/cli\/send\.js$/.test(u))).toBe(true); // and for ESM
    expect(hit.filter((u) => unwanted.some((re) => re.test(u)))).toEqual([]);
  });
});
