import pc from 'picocolors';
import { scaffoldProject } from '../review/init.js';
import { out } from './output.js';

export async function runInit(dir: string, opts: { copySchema?: boolean; json?: boolean }): Promise<number> {
  const r = await scaffoldProject(dir, opts);
  if (opts.json) {
    out(JSON.stringify({ format: 'dingcast.init/v1', dir: r.dir, created: r.written, gitignore: r.gitignore, schema: r.schema }, null, 2));
    return 0;
  }
  for (const f of r.written) out(`${pc.green('created')} ${f}`);
  if (r.gitignore !== 'unchanged') out(`${pc.green(r.gitignore === 'created' ? 'created' : 'updated')} .gitignore (.dingcast/, reports/, .env)`);
  out(r.schema.mode === 'package' ? `editor schemas: ${r.schema.dir} (the installed dingcast package)` : `editor schemas: copied to ${r.schema.dir}/`);
  const cd = dir === '.' ? '' : `cd ${dir} && `;
  out(`\nNext:\n  ${cd}dingcast validate\n  dingcast render --dry-run\n  dingcast send --all --sandbox   # a local DingTalk emulator, no credentials needed`);
  return 0;
}
