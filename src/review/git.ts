import { execFile } from 'node:child_process';
import { UserError } from '../errors.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git without a shell; a missing git binary is the user's setup problem (exit 2), not a bug. */
export function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new UserError('git is not installed or not on the PATH', '`dingcast diff` reads the old version of the project from git; install git or add it to PATH.'));
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like `git`, but a non-zero exit is an error with git's own message. */
export async function gitOk(cwd: string, args: string[]): Promise<string> {
  const r = await git(cwd, args);
  if (r.code !== 0) throw new UserError(`git ${args[0] ?? ''} failed: ${firstLine(r.stderr) || `exit ${r.code}`}`);
  return r.stdout;
}

export interface Repo {
  /** Absolute path of the work tree's top folder. */
  root: string;
  /** The project folder relative to `root`, with a trailing slash, or '' at the top. */
  prefix: string;
}

export async function findRepo(projectDir: string): Promise<Repo> {
  const r = await git(projectDir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (r.code !== 0) {
    throw new UserError(
      `${projectDir === '.' ? 'the current folder' : projectDir} is not inside a git repository`,
      '`dingcast diff` compares with a git revision; run it in a repository (or use `dingcast render --dry-run` to preview without git).',
    );
  }
  const [root = '', prefix = ''] = r.stdout.split('\n');
  return { root, prefix };
}

export interface BaseRevision {
  /** The full commit id that the old project is read from. */
  commit: string;
  /** What the user asked for (or what was picked), for headings: `origin/main`, `HEAD~1`. */
  label: string;
}

/** `--base REV` as given, else the merge base of HEAD with the default branch (origin/HEAD, else main/master). */
export async function resolveBase(root: string, base: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<BaseRevision> {
  if (base !== undefined) {
    const commit = await verifyCommit(root, base);
    if (!commit) throw new UserError(`unknown git revision \`${base}\``, 'Pass a branch, tag or commit that exists here (in CI, fetch with `fetch-depth: 0`).');
    return { commit, label: base };
  }
  const branch = await defaultBranch(root, env);
  if (!branch) {
    throw new UserError('cannot tell the default branch to compare with', 'Pass --base REV (e.g. --base origin/main); neither origin/HEAD nor main/master exists here.');
  }
  const head = await verifyCommit(root, 'HEAD');
  if (!head) throw new UserError('the repository has no commits yet', 'Commit once, or pass --base REV.');
  const mb = await git(root, ['merge-base', 'HEAD', branch]);
  if (mb.code !== 0) throw new UserError(`HEAD and ${branch} have no common ancestor`, 'Pass --base REV explicitly (in CI, fetch with `fetch-depth: 0`).');
  return { commit: mb.stdout.trim(), label: `merge-base with ${branch}` };
}

async function defaultBranch(root: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const candidates: string[] = [];
  // In a GitHub pull-request job the base branch is known even when origin/HEAD was never fetched.
  if (env.GITHUB_BASE_REF) candidates.push(`origin/${env.GITHUB_BASE_REF}`);
  const sym = await git(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']);
  if (sym.code === 0) candidates.push(sym.stdout.trim().replace(/^refs\/remotes\//, ''));
  candidates.push('main', 'master', 'origin/main', 'origin/master');
  for (const c of candidates) if (await verifyCommit(root, c)) return c;
  return undefined;
}

async function verifyCommit(root: string, rev: string): Promise<string | undefined> {
  // `--end-of-options` keeps a revision starting with '-' from being read as an option.
  const r = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
