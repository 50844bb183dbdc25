/**
 * What a client does when a venue's rate-limit block ends: one call goes alone (a probe) and the others wait for its
 * answer. A venue that is still limiting then refuses one call per Retry-After, not every waiting caller's at once
 * (a burst of refusals is what turns a 429 into an IP ban); one that has recovered lets them all through.
 * The block itself (how long to wait) stays with the adapter; this only orders the calls after it.
 */
export type GateTurn = { go: true; done: () => void } | { go: false; wait: Promise<void> };

const NOTHING = () => {};

export class ProbeGate {
  private limited = false;
  private probe: Promise<void> | null = null;

  /** The venue refused a call for its rate limit: the next call to go is a probe. */
  limit(): void {
    this.limited = true;
  }

  /** The venue answered a call (anything but a rate limit): calls flow freely again. */
  clear(): void {
    this.limited = false;
  }

  /** Whether the last answer was a rate limit (the next call is a probe). */
  get isLimited(): boolean {
    return this.limited;
  }

  /**
   * Waits until a call may go: sleeps out the block while `blockedMs()` is positive (`refuse` may throw instead, for a
   * wait too long to hold the caller), then takes this caller's turn. Returns the `done` to call once the answer is in
   * (after limit() or clear()). `probe: false` (an action) skips the turn: it goes as soon as the block ends.
   */
  async enter(blockedMs: () => number, sleep: (ms: number) => Promise<void>, refuse: (ms: number) => void, probe = true): Promise<() => void> {
    for (;;) {
      const wait = blockedMs();
      if (wait > 0) {
        refuse(wait);
        await sleep(wait);
        continue;
      }
      if (!probe) return NOTHING;
      const turn = this.turn();
      if (turn.go) return turn.done;
      await turn.wait;
    }
  }

  /**
   * A caller's turn, once the block has ended: go (and call `done` when the answer is in, after limit() or clear()),
   * or wait for the probe that is out and then ask again.
   */
  turn(): GateTurn {
    if (this.probe) return { go: false, wait: this.probe };
    if (!this.limited) return { go: true, done: NOTHING };
    let release = NOTHING;
    const probe = new Promise<void>((resolve) => (release = resolve));
    this.probe = probe;
    return {
      go: true,
      done: () => {
        if (this.probe === probe) this.probe = null;
        release();
      },
    };
  }
}
