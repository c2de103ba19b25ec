import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { GITIGNORE_LINES, HELLO_TEMPLATE_YAML, NOTIFICATIONS_YAML, TEMPLATE_ID } from './initFiles.js';

export interface InitOptions {
  /** Copy the schemas into DIR/schema even when dingcast is installed in node_modules. */
  copySchema?: boolean;
}

export interface InitResult {
  dir: string;
  /** Files created, relative to `dir`. */
  written: string[];
  gitignore: 'created' | 'appended' | 'unchanged';
  /**
   * Where the editor modelines point: `package` = the installed node_modules/dingcast/schema (stays current on
   * upgrade), `copied` = DIR/schema (works without node_modules, e.g. after a global install or `npx`).
   */
  schema: { mode: 'package' | 'copied'; dir: string };
}

/** The schemas shipped with this copy of dingcast (dist/review → ../../schema, and src/review in tests). */
const SHIPPED_SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));
const SCHEMAS_LINKED = ['notifications.schema.json', 'template.schema.json'];

/** Scaffolds a project; refuses (exit 2, naming every file) when a file it would write already exists. */
export async function scaffoldProject(dir: string, opts: InitOptions = {}): Promise<InitResult> {
  const root = resolve(dir);
  const installed = opts.copySchema ? undefined : findInstalledSchemaDir(root);
  const schemaDir = installed ?? join(root, 'schema');
  const files = new Map<string, string>();
  const withSchema = (text: string, file: string) =>
    text.replace(/\{\{schema:(\w+)\}\}/g, (_m, name: string) => toPosix(relative(dirname(join(root, file)), join(schemaDir, `${name}.schema.json`))).replace(/^(?!\.)/, './'));
  files.set('notifications.yaml', withSchema(NOTIFICATIONS_YAML, 'notifications.yaml'));
  files.set(`templates/${TEMPLATE_ID}.yaml`, withSchema(HELLO_TEMPLATE_YAML, `templates/${TEMPLATE_ID}.yaml`));
  if (!installed) {
    // The two the modelines name; both are self-contained (no $ref to other files).
    for (const name of SCHEMAS_LINKED) files.set(`schema/${name}`, await readFile(join(SHIPPED_SCHEMA_DIR, name), 'utf8'));
  }
  const existing = [...files.keys()].filter((f) => existsSync(join(root, f)));
  if (existing.length > 0) {
    throw new UserError(
      `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${dir}; init never overwrites`,
      'Run `dingcast init` in an empty folder (or `dingcast init NEW_DIR`), or move those files away first.',
    );
  }
  const written: string[] = [];
  for (const [file, text] of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    // 'wx': a file that appeared since the check is still never overwritten.
    await writeFile(join(root, file), text, { flag: 'wx' });
    written.push(file);
  }
  const gitignore = await updateGitignore(root);
  return { dir: root, written, gitignore, schema: { mode: installed ? 'package' : 'copied', dir: toPosix(relative(root, schemaDir)) } };
}

/** node_modules/dingcast/schema in DIR or a parent folder, as Node would resolve the package. */
function findInstalledSchemaDir(root: string): string | undefined {
  for (let d = root; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', 'dingcast', 'schema');
    if (existsSync(join(candidate, 'notifications.schema.json'))) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** Appends the missing lines to an existing .gitignore (it is shared with the rest of the repository). */
async function updateGitignore(root: string): Promise<InitResult['gitignore']> {
  const path = join(root, '.gitignore');
  const before = await readFile(path, 'utf8').catch(() => undefined);
  const present = new Set((before ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')));
  const missing = GITIGNORE_LINES.filter((l) => !present.has(l.replace(/^\//, '')));
  if (missing.length === 0) return 'unchanged';
  const block = `# dingcast: local state, run reports and credentials (.env)\n${missing.join('\n')}\n`;
  if (before === undefined) {
    await writeFile(path, block, { flag: 'wx' });
    return 'created';
  }
  await writeFile(path, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${before === '' ? '' : '\n'}${block}`);
  return 'appended';
}

function toPosix(p: string): string {
  return p.split(sep).join(posix.sep);
}
