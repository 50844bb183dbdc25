import { describe, expect, it } from 'vitest';
import { ProbeGate } from '../../../../lib/exchanges/common/probe-gate';

const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 0));
  return done;
};

describe('ProbeGate', () => {
  it('without a rate limit every caller goes', () => {
    const g = new ProbeGate();
    expect(g.turn().go).toBe(true);
    expect(g.turn().go).toBe(true);
    expect(g.isLimited).toBe(false);
  });

  it('after a rate limit one caller goes and the others wait for its answer', async () => {
    const g = new ProbeGate();
    g.limit();
    const probe = g.turn();
    expect(probe.go).toBe(true);
    const second = g.turn();
    const third = g.turn();
    if (second.go || third.go || !probe.go) throw new Error('only the probe goes');
    expect(second.wait).toBe(third.wait);
    expect(await settled(second.wait)).toBe(false);
    // Refused again: the waiters wake, and the next of them is a probe again.
    g.limit();
    probe.done();
    expect(await settled(second.wait)).toBe(true);
    const next = g.turn();
    expect(next.go).toBe(true);
    expect(g.turn().go).toBe(false);
    // Answered: the venue is not limiting any more, everyone goes.
    g.clear();
    if (next.go) next.done();
    expect(g.isLimited).toBe(false);
    expect(g.turn().go).toBe(true);
    expect(g.turn().go).toBe(true);
  });

  it('enter sleeps out the block, refuses a wait too long, and lets an action skip the probe', async () => {
    const g = new ProbeGate();
    let blockedUntil = 100;
    let now = 0;
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      now += ms;
    };
    const refuse = (ms: number) => {
      if (ms > 1_000) throw new Error(`blocked for ${ms} ms`);
    };
    g.limit();
    const done = await g.enter(() => blockedUntil - now, sleep, refuse);
    expect(slept).toEqual([100]);
    // The probe is out: a read waits for it, an action does not.
    const action = await g.enter(() => blockedUntil - now, sleep, refuse, false);
    expect(typeof action).toBe('function');
    let read = false;
    const waiting = g.enter(() => blockedUntil - now, sleep, refuse).then(() => (read = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(read).toBe(false);
    // The probe was refused again, for longer than a caller is held: the waiting read is refused too.
    blockedUntil = now + 5_000;
    g.limit();
    done();
    await expect(waiting).rejects.toThrow('blocked for 5000 ms');
  });

  it('a stale release does not free a newer probe', async () => {
    const g = new ProbeGate();
    g.limit();
    const a = g.turn();
    if (!a.go) throw new Error('a goes');
    a.done();
    const b = g.turn();
    if (!b.go) throw new Error('b goes');
    a.done(); // again: must not clear b's probe
    expect(g.turn().go).toBe(false);
    b.done();
  });
});
