// What `dingcast` runs: dist/cli/bin.js is this module and everything it imports, bundled by scripts/bundle-bin.mjs
// at `npm run build` (tsc emits bin.js as a one-line import of this file; the bundle replaces it).
import { main } from './main.js';
import { ignoreClosedPipes } from './output.js';

ignoreClosedPipes();

// If main's promise never settles, Node would end with exit code 13 and no word once nothing keeps the event
// loop alive (a forgotten promise, an unref()'d timer). That is a bug in dingcast; say so, and exit 2.
let settled = false;
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write(
    'internal error (a bug in dingcast; please report it): the command stopped before it finished — nothing was left to wait for.\n' +
      'Anything sent so far is in the ledger (.dingcast/); `dingcast send` again continues from there.\n',
  );
  process.exitCode = 2;
});
process.exitCode = await main(process.argv);
settled = true;
