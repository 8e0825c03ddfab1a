/**
 * Exponential backoff with jitter, bounded: each delay is the current step scaled by a random factor in
 * [1 − jitter, 1], and the step doubles up to `maxMs`. Jitter keeps many caches (or many editors) that lost
 * the same server from reconnecting in lockstep.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Fraction of the step that is random, 0..1. */
  jitter?: number;
}

export class Backoff {
  private step: number;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;

  constructor(opts: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initialMs = opts.initialMs ?? 250;
    this.maxMs = opts.maxMs ?? 30_000;
    this.jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
    this.step = this.initialMs;
  }

  /** The next delay, in ms; the one after it is longer (up to maxMs). */
  next(): number {
    const delay = Math.round(this.step * (1 - this.jitter * this.random()));
    this.step = Math.min(this.maxMs, this.step * 2);
    return delay;
  }

  reset(): void {
    this.step = this.initialMs;
  }
}
