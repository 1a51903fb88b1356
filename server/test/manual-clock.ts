import type { Clock } from '../src/engine/clock.ts';

/** A clock that only moves when told to; timers due by then run in time order. */
export class ManualClock implements Clock {
  #now: number;
  #timers: Array<{ at: number; seq: number; callback: () => void; cancelled: boolean }> = [];
  #seq = 0;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    const timer = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward to `target`, running each timer at its own instant. */
  advanceTo(target: number): void {
    for (;;) {
      this.#timers = this.#timers.filter((timer) => !timer.cancelled);
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = Math.max(this.#now, target);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves time forward without running any timer, as a process that was suspended sees it. */
  suspendFor(ms: number): void {
    this.#now += ms;
  }
}
