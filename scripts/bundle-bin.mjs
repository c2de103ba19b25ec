// Bundles the CLI for a faster cold start (issue 12 item 1): `npm run build` runs tsc, then this, which turns
// dist/cli/entry.js and everything it imports (dist/ and node_modules) into dist/cli/bin.js plus the chunks
// dist/cli/_bin-*.js that the commands' lazy import()s load. About 290 module files become the few chunks a command
// needs, so Node resolves, reads and compiles far fewer files. The code is tsc's output, unminified; the library
// (dist/index.js) is not bundled. Chunks sit in dist/cli/ beside bin.js, so `new URL('../../schema/', import.meta.url)`
// and createRequire('../../package.json') still reach the package root, as from tsc's dist/<dir>/<file>.js.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/', import.meta.url));
const entry = join(cli, 'entry.js');
if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc -p tsconfig.build.json first`);
const tmp = join(cli, '.bundle');
rmSync(tmp, { recursive: true, force: true });

const result = await build({
  entryPoints: { bin: entry },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: tmp,
  chunkNames: '_bin-[hash]',
  // CommonJS dependencies (handlebars, commander, undici, …) call require() and read __filename (write-file-atomic
  // seeds its temp names with it): give every chunk its own, as Node gives a CommonJS file.
  banner: {
    js:
      "import { createRequire as __dcRequire } from 'node:module'; import { dirname as __dcDirname } from 'node:path'; import { fileURLToPath as __dcPath } from 'node:url'; " +
      'const require = __dcRequire(import.meta.url), __filename = __dcPath(import.meta.url), __dirname = __dcDirname(__filename);',
  },
  logLevel: 'warning',
});
if (result.warnings.length > 0) throw new Error(`bundle-bin: ${result.warnings.length} warning(s); fix them rather than ship a bundle that may differ`);

for (const f of readdirSync(cli)) if (/^_bin-.*\.js$/.test(f)) rmSync(join(cli, f));
for (const f of readdirSync(tmp)) {
  if (f === 'bin.js') writeFileSync(join(cli, 'bin.js'), '#!/usr/bin/env node\n' + readFileSync(join(tmp, f), 'utf8'));
  else renameSync(join(tmp, f), join(cli, f));
}
rmSync(tmp, { recursive: true, force: true });
