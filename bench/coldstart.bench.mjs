// Cold start of `dingcast validate` on the repository's examples against `node -e 0` (target: at most 3×).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = 15;
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(args) {
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    xs.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(xs);
}
const base = time(['-e', '0']);
const validate = time(['dist/cli/bin.js', 'validate']);
console.log(`cold start: node -e 0 ${base.toFixed(0)} ms, dingcast validate ${validate.toFixed(0)} ms → ${(validate / base).toFixed(2)}× (target ≤ 3×; median of ${runs})`);
