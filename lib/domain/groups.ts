/**
 * Joins groups that share a member (connected components), for correlation groups. Members and groups keep their
 * first-seen order; only groups of two or more members are returned.
 */
export function mergeGroups(groups: readonly (readonly string[])[]): string[][] {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(a, r);
    return r;
  };
  for (const g of groups) {
    for (const a of g) if (!parent.has(a)) parent.set(a, a);
    for (const a of g) {
      const ra = find(g[0]!);
      const rb = find(a);
      if (ra !== rb) parent.set(rb, ra);
    }
  }
  const byRoot = new Map<string, string[]>();
  for (const a of parent.keys()) {
    const r = find(a);
    const list = byRoot.get(r);
    if (list) list.push(a);
    else byRoot.set(r, [a]);
  }
  return [...byRoot.values()].filter((g) => g.length >= 2);
}
