/**
 * Fixed-size windows with O(1) updates (amortised): the building blocks of the streaming indicators.
 */

/**
 * Sliding window of the last `size` values with their sum and sum of squares. The sums are kept relative to a
 * reference value (so prices near 60,000 with a spread of 10 keep their precision) and are recomputed exactly from
 * the buffer once per `size` pushes, so rounding drift never accumulates past one window.
 */
export class RollingWindow {
  readonly size: number;
  private readonly buf: Float64Array;
  private head = 0;
  private n = 0;
  private ref = NaN;
  private s = 0;
  private ss = 0;
  private sinceRecompute = 0;

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError(`RollingWindow size must be >= 1, got ${size}`);
    this.size = size;
    this.buf = new Float64Array(size);
  }

  get count(): number {
    return this.n;
  }
  get full(): boolean {
    return this.n === this.size;
  }
  get sum(): number {
    return this.n === 0 ? 0 : this.s + this.n * this.ref;
  }
  get mean(): number {
    return this.n === 0 ? NaN : this.ref + this.s / this.n;
  }
  /** Population variance (divide by n). */
  get variance(): number {
    if (this.n === 0) return NaN;
    const v = (this.ss - (this.s * this.s) / this.n) / this.n;
    return v > 0 ? v : 0;
  }
  /** Sample variance (divide by n - 1). */
  get sampleVariance(): number {
    if (this.n < 2) return NaN;
    const v = (this.ss - (this.s * this.s) / this.n) / (this.n - 1);
    return v > 0 ? v : 0;
  }
  /** The value `back` pushes ago (0 = newest). */
  at(back: number): number {
    if (back < 0 || back >= this.n) return NaN;
    let i = this.head - 1 - back;
    if (i < 0) i += this.size;
    return this.buf[i]!;
  }
  /** The value that the next push will evict (NaN while not full). */
  get oldest(): number {
    return this.n === this.size ? this.buf[this.head]! : NaN;
  }

  push(x: number): void {
    if (this.n === 0 && Number.isNaN(this.ref)) this.ref = x;
    const d = x - this.ref;
    if (this.n === this.size) {
      const o = this.buf[this.head]! - this.ref;
      this.s += d - o;
      this.ss += d * d - o * o;
    } else {
      this.n++;
      this.s += d;
      this.ss += d * d;
    }
    this.buf[this.head] = x;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    if (++this.sinceRecompute >= this.size) this.recompute();
  }

  private recompute(): void {
    this.sinceRecompute = 0;
    // Re-centre on the newest value: the next window's values are close to it.
    this.ref = this.at(0);
    let s = 0;
    let ss = 0;
    for (let k = 0; k < this.n; k++) {
      const d = this.buf[k]! - this.ref;
      s += d;
      ss += d * d;
    }
    this.s = s;
    this.ss = ss;
  }
}

/**
 * The last `size` values kept sorted as well as in arrival order, for the percentile rank of the newest value.
 * A push replaces the evicted value's slot and shifts only the values between it and the new value's place: bounded
 * by the window size, and short when the value moves slowly (as a rolling volatility does).
 */
export class SortedWindow {
  readonly size: number;
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private n = 0;
  // Where the last insert and eviction landed: a slowly moving series inserts and evicts near them again.
  private lastIn = 0;
  private lastOut = 0;

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError(`SortedWindow size must be >= 1, got ${size}`);
    this.size = size;
    this.ring = new Float64Array(size);
    this.sorted = new Float64Array(size);
  }

  get count(): number {
    return this.n;
  }
  get full(): boolean {
    return this.n === this.size;
  }

  /** Adds x (evicting the oldest when full) and returns the slot x now occupies in sorted order. */
  push(x: number): number {
    const sorted = this.sorted;
    if (this.n < this.size) {
      const j = this.lowerBound(x);
      sorted.copyWithin(j + 1, j, this.n);
      sorted[j] = x;
      this.n++;
      this.advance(x);
      return j;
    }
    // Replace the evicted value's slot: one shift of the values between it and the new value's place.
    const i = this.lowerBoundNear(this.ring[this.head]!, this.lastOut);
    const j = this.lowerBoundNear(x, this.lastIn);
    this.lastOut = i;
    this.lastIn = j;
    let at: number;
    if (j > i + 1) {
      sorted.copyWithin(i, i + 1, j);
      at = j - 1;
    } else if (j < i) {
      sorted.copyWithin(j + 1, j, i);
      at = j;
    } else at = i;
    sorted[at] = x;
    this.advance(x);
    return at;
  }

  private advance(x: number): void {
    this.ring[this.head] = x;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
  }

  /** push(x) then percentileRank(x), reusing the slot found by the push (one search fewer, the hot path). */
  pushAndRank(x: number): number {
    const at = this.push(x);
    const s = this.sorted;
    // Distinct neighbours (the usual case for a continuous measure) make x's rank its slot.
    if ((at === 0 || s[at - 1]! < x) && (at + 1 >= this.n || s[at + 1]! > x)) return (100 * (at + 0.5)) / this.n;
    return this.percentileRank(x);
  }

  /** Mid-rank percentile of x in the window, 0..100: (below + equal / 2) / n. A constant window gives 50. */
  percentileRank(x: number): number {
    if (this.n === 0) return NaN;
    const lo = this.lowerBound(x);
    const hi = this.upperBound(x);
    return (100 * (lo + (hi - lo) / 2)) / this.n;
  }

  private upperBound(x: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** lowerBound, searched outward from `hint` (galloping): O(log distance) instead of O(log n). Same result. */
  private lowerBoundNear(x: number, hint: number): number {
    const s = this.sorted;
    const n = this.n;
    const h = hint < 0 ? 0 : hint > n ? n : hint;
    let lo: number;
    let hi: number;
    let step = 1;
    if (h < n && s[h]! < x) {
      // The answer is right of h.
      lo = h + 1;
      let probe = h + 1;
      while (probe < n && s[probe]! < x) {
        lo = probe + 1;
        probe += step;
        step *= 2;
      }
      hi = probe < n ? probe : n;
    } else {
      // The answer is at h or left of it.
      hi = h;
      let probe = h - 1;
      while (probe >= 0 && s[probe]! >= x) {
        hi = probe;
        probe -= step;
        step *= 2;
      }
      lo = probe < 0 ? 0 : probe + 1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
