/** Like varsFilePathsOf: the `to.users_file` and `each.file` paths the edge must read (as bytes). */
export function dataFilePathsOf(entries: readonly unknown[]): string[] {
  const paths = new Set<string>();
  for (const n of entries) {
    if (n === null || typeof n !== 'object') continue;
    const { to, each } = n as { to?: { users_file?: unknown }; each?: { file?: unknown } };
    if (typeof to?.users_file === 'string') paths.add(to.users_file);
    if (typeof each?.file === 'string') paths.add(each.file);
  }
  return [...paths];
}

