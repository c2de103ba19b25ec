// npm run bench — runs every bench/*.bench.mjs (a new bench is picked up without a change here), each in its own
// process; every figure is a ratio to an anchor the bench measures in the same run. Needs `npm run build` first.
// `node bench/run.mjs coldstart send` runs only the benches whose names contain one of the words.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (wanted.length === 0 || wanted.some((w) => f.includes(w))))
  .sort();
const failed = [];
for (const s of suites) {
  console.log(`\n== ${s}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}${s}`], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(s);
}
if (failed.length > 0) console.log(`\nmissed a target or failed: ${failed.join(', ')}`);
process.exitCode = failed.length > 0 ? 1 : 0;
