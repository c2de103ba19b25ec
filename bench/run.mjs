// npm run bench — prints the figures the issues ask for, all measured in this run. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const suites = ['./coldstart.bench.mjs', './render.bench.mjs', './plan.bench.mjs', './sandbox.bench.mjs', './send.bench.mjs'];
let failed = 0;
for (const s of suites) {
  if (!existsSync(here(s))) continue;
  const r = spawnSync(process.execPath, ['--expose-gc', here(s)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
