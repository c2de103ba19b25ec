// Recipients at scale (issue 14): `dingcast send --dry-run --json` (read, validate, plan, print) of
// - one notification to 1,000,000 recipients from a users_file (targets: under 10 s and under 1 GB RSS), and
// - an `each:` notification of 10,000 per-person rows (render + plan).
// Each figure is also a ratio to an anchor measured in the same run on the same file: a node process that parses
// the CSV with csv-parse (the parser dingcast uses) and writes the list as JSON — the least any plan of it must do
// (for the rows, plus rendering each with Handlebars). Peak RSS comes from the process itself (resourceUsage).
// It exits 1 when the 1,000,000-recipient plan misses a target. Run: npm run build && node bench/recipients.bench.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/bin.js');
const failures = [];
// Printed by every measured process as it exits: its peak resident set size.
const PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeak_rss_kb='+process.resourceUsage().maxRSS+'\\n'))`;

function measure(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', PEAK, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const kb = Number(/peak_rss_kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms, mb: kb / 1024 };
}

function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-bench-recipients-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const HEAD = 'version: 1\napp: { agent_id: 100000001 }\ntimezone: Asia/Shanghai\n';

// --- 1,000,000 recipients from a users_file
const N = 1_000_000;
let csv = 'userid\n';
for (let i = 0; i < N; i++) csv += `u${String(i).padStart(7, '0')}\n`;
const big = project({
  'templates/note.yaml': 'version: 1\ndescription: n\nvariables: { type: object }\nmsg: { msgtype: text, text: { content: "hello everyone" } }\n',
  'notifications.yaml': `${HEAD}notifications:\n  all:\n    template: note@1\n    to: { users_file: data/users.csv }\n`,
  'data/users.csv': csv,
});
// The anchors run in the project folder: their packages are resolved from dingcast's own node_modules.
const REQUIRE = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(root, 'package.json'))});`;
const csvAnchor = `${REQUIRE} import { readFileSync } from 'node:fs'; const { parse } = require('csv-parse/sync');
const rows = parse(readFileSync('data/users.csv'), { columns: true, bom: true });
process.stdout.write(JSON.stringify(rows.map((r) => r.userid)));`;
const a1 = measure(['--input-type=module', '-e', csvAnchor], big);
const p1 = measure([cli, 'send', 'all', '--dry-run', '--json', '--project', big], big);
console.log(`1,000,000 recipients from a users_file: send --dry-run --json`);
console.log(`  time ${(p1.ms / 1000).toFixed(1)} s (target < 10 s) = ${(p1.ms / a1.ms).toFixed(2)}× parsing the CSV alone (${(a1.ms / 1000).toFixed(1)} s)`);
console.log(`  peak RSS ${p1.mb.toFixed(0)} MB (target < 1024 MB) = ${(p1.mb / a1.mb).toFixed(2)}× the parse's (${a1.mb.toFixed(0)} MB)`);
if (p1.ms > 10_000) failures.push(`1,000,000 recipients plan in ${(p1.ms / 1000).toFixed(1)} s (target < 10 s)`);
if (p1.mb > 1024) failures.push(`1,000,000 recipients peak at ${p1.mb.toFixed(0)} MB (target < 1 GB)`);
rmSync(big, { recursive: true, force: true });

// --- 10,000 per-person rows (each:), 10,000 distinct messages
const ROWS = 10_000;
let rows = 'userid,net\n';
for (let i = 0; i < ROWS; i++) rows += `u${i},${(9000 + i).toFixed(2)}\n`;
const TEMPLATE = 'version: 1\ndescription: slip\nvariables:\n  type: object\n  required: [net]\n  properties:\n    userid: { type: string, maxLength: 64 }\n    net: { type: string, maxLength: 12, sensitive: true }\nmsg:\n  msgtype: markdown\n  markdown:\n    title: 工资条\n    text: "### {{userid}} 的工资条\\n\\n实发 ¥{{net}}"\n';
const slips = project({
  'templates/slip.yaml': TEMPLATE,
  'notifications.yaml': `${HEAD}notifications:\n  slips:\n    template: slip@1\n    each: { file: data/pay.csv }\n`,
  'data/pay.csv': rows,
});
const renderAnchor = `${REQUIRE} import { readFileSync } from 'node:fs'; const { parse } = require('csv-parse/sync'); const Handlebars = require('handlebars');
const text = Handlebars.compile('### {{userid}} 的工资条\\n\\n实发 ¥{{net}}', { noEscape: true });
const rows = parse(readFileSync('data/pay.csv'), { columns: true, bom: true });
process.stdout.write(JSON.stringify(rows.map((r) => ({ msgtype: 'markdown', markdown: { title: '工资条', text: text(r) } }))));`;
const a2 = measure(['--input-type=module', '-e', renderAnchor], slips);
const p2 = measure([cli, 'send', 'slips', '--dry-run', '--json', '--project', slips], slips);
console.log(`10,000 per-person rows (each:): send --dry-run --json (validate every row, render, plan)`);
console.log(`  time ${(p2.ms / 1000).toFixed(1)} s = ${(p2.ms / a2.ms).toFixed(2)}× parsing + rendering each row with Handlebars alone (${(a2.ms / 1000).toFixed(1)} s); peak RSS ${p2.mb.toFixed(0)} MB`);
rmSync(slips, { recursive: true, force: true });

if (failures.length > 0) {
  console.log(`missed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
