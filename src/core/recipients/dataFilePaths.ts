import { parseYamlValue } from '../load/yamlSource.js';

/** Like varsFilePaths: the `to.users_file` and `each.file` paths the edge must read (as bytes). */
export function dataFilePaths(text: string | undefined): string[] {
  if (text === undefined) return [];
  const parsed = parseYamlValue('notifications.yaml', text);
  if (!parsed.ok) return [];
  const v = parsed.value as { notifications?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.notifications === null || typeof v.notifications !== 'object') return [];
  const paths = new Set<string>();
  for (const n of Object.values(v.notifications as Record<string, unknown>)) {
    if (n === null || typeof n !== 'object') continue;
    const { to, each } = n as { to?: { users_file?: unknown }; each?: { file?: unknown } };
    if (typeof to?.users_file === 'string') paths.add(to.users_file);
    if (typeof each?.file === 'string') paths.add(each.file);
  }
  return [...paths];
}
