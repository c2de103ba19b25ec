import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * CLI tests run the built CLI, so build once before the suite, as `npm run build` does. `tsc -b` (build mode) checks
 * dist/.tsbuildinfo's inputs before it makes a program, so an unchanged src costs ~1 s of CPU (`tsc -p`, incremental,
 * parsed everything: ~7 s); `npm test` (scripts/test.mjs) runs the same command beside eslint, so here it finds
 * nothing to do. Then the bundle of dist/cli/bin.js (scripts/bundle-bin.mjs, ~1 s), always: the suite must run the
 * bundle of this dist/, never one left from an older build.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/bundle-bin.mjs', import.meta.url))], { cwd: root, stdio: 'inherit' });
}
