import { parseYamlValue } from './yamlSource.js';

/**
 * A light first read of notifications.yaml to learn which vars files the edge must load (working tree and git
 * revision alike); a file that does not parse names none — the core reports its real errors.
 */
export function varsFilePaths(text: string | undefined): string[] {
  if (text === undefined) return [];
  const parsed = parseYamlValue('notifications.yaml', text);
  if (!parsed.ok) return [];
  const v = parsed.value as { notifications?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.notifications === null || typeof v.notifications !== 'object') return [];
  return Object.values(v.notifications as Record<string, unknown>)
    .map((n) => (n !== null && typeof n === 'object' ? (n as { vars_file?: unknown }).vars_file : undefined))
    .filter((p): p is string => typeof p === 'string');
}
