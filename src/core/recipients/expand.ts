import type { Diagnostic } from '../diagnostics.js';
import { checkProjectPath } from '../load/projectPath.js';
import type { YamlSource } from '../load/yamlSource.js';
import type { ProjectFiles } from '../project.js';
import { locate } from '../schemaErrors.js';
import { parseDataColumn, rowWhere } from './dataFile.js';

/** Recipients read from a `to.users_file`, with the line each came from (for "data/team.csv:12: unknown userid"). */
export interface UserFileSource {
  file: string;
  userids: string[];
  lines: number[];
}

export interface ExpandedUsers {
  /** Inline users, then the groups' members, then the file's: userids and `mobile:` entries, duplicates kept (the plan dedupes). */
  users: string[];
  groups: string[];
  userFile: UserFileSource | undefined;
}

/**
 * `to.users` + `to.groups` (named lists in the top-level `groups:`) + `to.users_file` (CSV with a `userid` or
 * `mobile` column, JSON/YAML lists, or .txt one per line) → one list of recipients.
 */
export function expandUsers(id: string, to: Record<string, unknown>, groups: Record<string, unknown[]>, files: ProjectFiles, source: YamlSource, diagnostics: Diagnostic[]): ExpandedUsers {
  const problem = (path: (string | number)[], code: string, message: string, hint: string) => diagnostics.push(...locate(source, [{ path: ['notifications', id, 'to', ...path], code, message, hint }]));
  const users = ((to.users as unknown[] | undefined) ?? []).map(String);
  const named = (to.groups as string[] | undefined) ?? [];
  for (const [i, g] of named.entries()) {
    const members = groups[g];
    if (members === undefined) {
      const known = Object.keys(groups);
      problem(['groups', i], 'recipients/unknown-group', `no group named \`${g}\``, known.length > 0 ? `Groups defined in notifications.yaml: ${known.join(', ')}.` : 'Define it at the top level: `groups: { oncall: [zhangsan, lisi] }`.');
      continue;
    }
    for (const m of members) users.push(String(m));
  }
  const path = to.users_file as string | undefined;
  let userFile: UserFileSource | undefined;
  if (path !== undefined) userFile = readUsersFile(path, files, (code, message, hint) => problem(['users_file'], code, message, hint), (d) => diagnostics.push(d));
  return { users: userFile ? users.concat(userFile.userids) : users, groups: named, userFile };
}

function readUsersFile(path: string, files: ProjectFiles, problem: (code: string, message: string, hint: string) => void, push: (d: Diagnostic) => void): UserFileSource | undefined {
  const checked = checkProjectPath(path);
  if (!checked.ok) {
    problem('path/outside-project', `users_file: ${checked.message}`, checked.hint);
    return undefined;
  }
  const entry = files.dataFiles?.get(path);
  if (!entry?.bytes) {
    problem('recipients/unreadable', `users_file \`${path}\` cannot be read${entry?.error ? `: ${entry.error}` : ''}`, 'The path is relative to the project folder; check that the file exists.');
    return undefined;
  }
  const parsed = parseDataColumn(path, entry.bytes, 'userid', (columns) => (columns.includes('userid') ? 'userid' : columns.includes('mobile') ? 'mobile' : undefined));
  if (!parsed.ok) {
    push({ severity: 'error', code: 'recipients/bad-file', file: path, line: parsed.line ?? 0, column: 0, message: parsed.message, hint: parsed.hint });
    return undefined;
  }
  if (parsed.warning) push({ severity: 'warning', code: 'recipients/encoding', file: path, line: 0, column: 0, message: `${path} ${parsed.warning}` });
  const { column } = parsed;
  if (column === undefined) {
    push({ severity: 'error', code: 'recipients/no-column', file: path, line: 1, column: 1, message: `${path} has no \`userid\` or \`mobile\` column (columns: ${parsed.columns.join(', ') || 'none'})`, hint: 'Name the header of the recipients column `userid` (or `mobile` for phone numbers).' });
    return undefined;
  }
  const userids: string[] = [];
  const lines: number[] = [];
  for (let i = 0; i < parsed.cells.length; i++) {
    const v = parsed.cells[i];
    const line = parsed.lines[i]!;
    const value = typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
    if (value === '') {
      push({ severity: 'error', code: 'recipients/empty', file: path, line, column: 1, message: `${rowWhere(path, { line, index: i + 1 })}: empty ${column}`, hint: 'Every row names one recipient; delete blank rows.' });
      continue;
    }
    userids.push(column === 'mobile' ? `mobile:${value}` : value);
    lines.push(line > 0 ? line : i + 1);
  }
  return { file: path, userids, lines };
}
