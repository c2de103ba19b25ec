// Cold start of the CLI against `node -e 0`, measured side by side in this run: rounds interleave the commands,
// so a machine that gets busier or quieter meanwhile moves every figure alike. Targets (issue 12 item 1):
// validate ≤ 3×, render --dry-run and send --dry-run ≤ 3.5×. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const bin = 'dist/cli/bin.js';
const commands = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'dingcast validate', args: [bin, 'validate'], target: 3 },
  { name: 'dingcast render --dry-run', args: [bin, 'render', '--dry-run'], target: 3.5 },
  { name: 'dingcast send --all --dry-run', args: [bin, 'send', '--all', '--dry-run'], target: 3.5 },
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = { ...process.env, NO_COLOR: '1' };
for (const k of ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_BASE_URL']) delete env[k];

function once(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, env });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

for (const c of commands) once(c.args); // warm the file-system cache (and dingcast's own, where it has one)
const times = commands.map(() => []);
for (let i = 0; i < rounds; i++) commands.forEach((c, j) => times[j].push(once(c.args)));
const base = median(times[0]);
console.log(`cold start (median of ${rounds} interleaved rounds; anchor node -e 0 = ${base.toFixed(0)} ms):`);
let missed = 0;
commands.slice(1).forEach((c, j) => {
  const ms = median(times[j + 1]);
  const ratio = ms / base;
  if (ratio > c.target) missed++;
  console.log(`  ${c.name.padEnd(30)} ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}× node -e 0  (target ≤ ${c.target}×${ratio > c.target ? ', MISSED' : ''})`);
});
process.exitCode = missed > 0 ? 1 : 0;
