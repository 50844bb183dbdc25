/**
 * Tables too big to push whole (strategies, accounts, settings) are pushed as a revision number; a view re-reads a
 * table when its revision moves. Returns the callback a view runs on every push.
 */
export function onRevision(refresh: () => Promise<void>): (rev: number) => void {
  let seen = -1;
  return (rev) => {
    if (rev === seen) return;
    seen = rev;
    void refresh();
  };
}
