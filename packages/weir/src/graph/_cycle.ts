/** One cycle among `nodes` (each of which lies on or leads into a cycle), as a closed path. */
export function findCycle(
  nodes: readonly string[],
  parents: (key: string) => readonly string[],
): string[] {
  const inSet = new Set(nodes);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | undefined => {
    state.set(key, 'visiting');
    stack.push(key);
    for (const parent of [...parents(key)].sort()) {
      if (!inSet.has(parent)) continue;
      if (state.get(parent) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(parent));
        // `parents` edges point upstream; print in data-flow order, upstream first.
        return [...cycle, parent].reverse();
      }
      if (!state.has(parent)) {
        const found = visit(parent);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(key, 'done');
    return undefined;
  };
  for (const key of [...nodes].sort()) {
    if (!state.has(key)) {
      const found = visit(key);
      if (found) return found;
    }
  }
  return [];
}
