import { parseYamlValue } from './yamlSource.js';

/**
 * A light first read of notifications.yaml to learn which files the edge must load (working tree and git revision
 * alike): each notification's entry as a plain value. Parsed once and handed to every `…PathsOf`; a file that does
 * not parse names none — the core reports its real errors.
 */
export function notificationEntries(text: string | undefined): unknown[] {
  if (text === undefined) return [];
  const parsed = parseYamlValue('notifications.yaml', text);
  return parsed.ok ? entriesOf(parsed.value) : [];
}

/** The same from a parse the caller already holds (`FileText.parsed`). */
export function notificationEntriesOf(parse: { source: { value: unknown }; diagnostics: { severity: string }[] }): unknown[] {
  return parse.diagnostics.some((d) => d.severity === 'error') ? [] : entriesOf(parse.source.value);
}

function entriesOf(value: unknown): unknown[] {
  const v = value as { notifications?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.notifications === null || typeof v.notifications !== 'object') return [];
  return Object.values(v.notifications as Record<string, unknown>);
}

/** The `vars_file` paths the notifications name. */
export function varsFilePathsOf(entries: readonly unknown[]): string[] {
  return entries.map((n) => (n !== null && typeof n === 'object' ? (n as { vars_file?: unknown }).vars_file : undefined)).filter((p): p is string => typeof p === 'string');
}

export function varsFilePaths(text: string | undefined): string[] {
  return varsFilePathsOf(notificationEntries(text));
}
