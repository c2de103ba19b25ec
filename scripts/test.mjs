// `npm test`: typecheck, lint (eslint + knip) and the build, then vitest. The first three are single-threaded and
// independent, so they run in two lanes side by side (eslint alone in one: it is the longest), which on the 2-core CI
// machine takes the longest lane's time instead of the sum (issue 12). Vitest's globalSetup build then finds dist up
// to date. Each step's output is printed whole when it ends, so lanes never interleave lines. Any step failing stops
// before vitest, with that step's exit code, as `a && b && c` did. Arguments go to `vitest run`.
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };

const LANES = [
  [['eslint', ['.']]],
  [
    ['tsc', ['-p', 'tsconfig.json', '--noEmit']],
    ['knip', []],
    // `npm run build`: test/globalSetup.ts then finds dist up to date (`tsc -b` checks and stops in ~1 s).
    ['npm', ['run', '-s', 'build']],
  ],
];

/** Runs one command with its output captured; resolves to its exit code once it is printed. */
function run([cmd, args]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (err) => out.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code, signal) => {
      const rc = code ?? (signal ? 1 : 0);
      process.stdout.write(`\n> ${[cmd, ...args].join(' ')}  (${((Date.now() - started) / 1000).toFixed(1)} s${rc === 0 ? '' : `, exit ${rc}`})\n`);
      process.stdout.write(Buffer.concat(out));
      resolve(rc);
    });
  });
}

async function lane(steps) {
  for (const step of steps) {
    const rc = await run(step);
    if (rc !== 0) return rc;
  }
  return 0;
}

const codes = await Promise.all(LANES.map(lane));
const failed = codes.find((c) => c !== 0);
if (failed !== undefined) process.exit(failed);

const vitest = spawn('vitest', ['run', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
vitest.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
