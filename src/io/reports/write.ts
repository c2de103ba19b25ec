import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Report } from '../../core/send/types.js';
import { schemaValidator } from '../../core/schemas.js';
import { UserError } from '../../errors.js';
import { REPORT_FILES } from '../../core/report/files.js';
import { reportedNotifications, type ReportedNotification } from '../../core/report/describe.js';
import { RUN_ID_PATTERN } from './runId.js';

/** Secrets shorter than this are not searched for: a 3-character "secret" would match ordinary text. */
const MIN_SECRET_LENGTH = 8;

/**
 * Writes reports/<run id>/{report.json, and each of REPORT_FILES: report.md, junit.xml, report.html}, each atomically and read back to verify, then points
 * reports/latest at the run. `secrets` are the run's actual credential values (app secret, access token, suite
 * ticket), passed in from the edge: a report is shared in PRs and CI logs, so none of them may reach it. An
 * invalid report or one holding a secret is a bug in dingcast, so it throws a plain Error and writes nothing.
 */
export async function writeReport(
  projectDir: string,
  report: Report,
  secrets: readonly string[] = [],
  // The notifications' status maps, built once for every file (and for the caller's summary, if it passes them).
  reported: readonly ReportedNotification[] = reportedNotifications(report),
): Promise<{ dir: string; files: string[] }> {
  // Validate exactly what lands on disk: JSON drops undefined fields.
  const json = JSON.stringify(report, null, 2) + '\n';
  // One scan of the text finds a secret in any key or string; the walk (slow at 100,000 recipients) only says where.
  if (secrets.some((x) => x.length >= MIN_SECRET_LENGTH && json.includes(JSON.stringify(x).slice(1, -1)))) assertNoCredentials(report, secrets);
  const validate = schemaValidator('report');
  if (!validate(JSON.parse(json))) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new Error(`writeReport: the report does not match schema/report.schema.json:\n  ${problems.join('\n  ')}`);
  }
  const dir = join(projectDir, 'reports', report.run_id);
  await mkdir(dir, { recursive: true });
  const contents: [string, string][] = [['report.json', json], ...Object.entries(REPORT_FILES).map(([name, format]): [string, string] => [name, format(report, reported)])];
  const files: string[] = [];
  for (const [name, text] of contents) {
    const file = join(dir, name);
    await writeFileAtomic(file, text);
    // A full disk can leave a short file behind a successful write on some file systems: read it back.
    if ((await readFile(file, 'utf8')) !== text) throw Object.assign(new Error(`${file} was not written completely`), { code: 'ENOSPC', path: file });
    files.push(file);
  }
  // Last, so `latest` never names a run whose files are not all there.
  await writeFileAtomic(join(projectDir, 'reports', 'latest'), `${report.run_id}\n`);
  return { dir, files };
}

/** Reads and validates a run's report.json; by default the run named in reports/latest. */
export async function readReport(projectDir: string, runId?: string): Promise<Report> {
  const reportsDir = join(projectDir, 'reports');
  const id = runId ?? (await readLatest(reportsDir));
  if (!RUN_ID_PATTERN.test(id)) {
    throw new UserError(`"${id}" is not a run id`, 'Run ids look like 20260105T090000Z-a1b2c3; see the folders in reports/.');
  }
  let text: string;
  try {
    text = await readFile(join(reportsDir, id, 'report.json'), 'utf8');
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const known = await listRuns(reportsDir);
    throw new UserError(`No report for run ${id} in ${reportsDir}`, known.length ? `Known runs (newest first): ${known.slice(0, 5).join(', ')}` : 'No runs have been reported yet.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`${join(reportsDir, id, 'report.json')} is not valid JSON`, 'It may have been edited by hand; run `dingcast report --refresh` to rewrite it.');
  }
  const validate = schemaValidator('report');
  if (!validate(value)) {
    const first = validate.errors?.[0];
    throw new UserError(
      `${join(reportsDir, id, 'report.json')} is not a dingcast.report/v1 report: ${first ? `${first.instancePath || '/'} ${first.message ?? ''}` : 'invalid'}`,
      'It may come from another dingcast version or have been edited by hand.',
    );
  }
  return value as Report;
}

/**
 * Throws (without echoing the value) if any key or string in the report holds one of the run's secret values.
 * It looks for the values, not for words like `access_token=`: DingTalk's own errmsg may contain those words,
 * and refusing the whole report for them would lose the record of a send that happened.
 */
export function assertNoCredentials(value: unknown, secrets: readonly string[], path = ''): void {
  const needles = secrets.filter((x) => x.length >= MIN_SECRET_LENGTH);
  if (needles.length === 0) return;
  const visit = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      if (needles.some((n) => v.includes(n))) throw new Error(`writeReport: refusing to write a credential (token or secret) found at ${at || '/'}`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${at}/${i}`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        visit(k, `${at}/${k}`);
        visit(x, `${at}/${k}`);
      }
    }
  };
  visit(value, path);
}

async function readLatest(reportsDir: string): Promise<string> {
  try {
    const id = (await readFile(join(reportsDir, 'latest'), 'utf8')).trim();
    if (id) return id;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  throw new UserError(`No run reports in ${reportsDir}`, 'Run `dingcast send` first; each run writes reports/<run id>/ and reports/latest.');
}

async function listRuns(reportsDir: string): Promise<string[]> {
  try {
    return (await readdir(reportsDir)).filter((f) => RUN_ID_PATTERN.test(f)).sort().reverse();
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT';
}
