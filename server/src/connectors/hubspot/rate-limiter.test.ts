import { describe, expect, it } from 'vitest';
import { RollingWindowLimiter } from './rate-limiter.ts';

/** A clock that only moves when the limiter sleeps, so the test checks the schedule, not the machine's speed. */
function virtualClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      // Yield to the event loop like a real timer would.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('RollingWindowLimiter', () => {
  it('never lets more than max slots count inside any window, counted from when each request was answered', async () => {
    const clock = virtualClock();
    const limiter = new RollingWindowLimiter({ max: 5, intervalMs: 1000 }, clock);
    const grantedAt: number[] = [];
    for (let i = 0; i < 23; i++) {
      const release = await limiter.acquire();
      grantedAt.push(clock.now());
      // Each request takes 30 ms to answer.
      await clock.sleep(30);
      release();
    }
    for (const [i, t] of grantedAt.entries()) {
      // Slots answered within the last second before this grant, plus this one.
      const inWindow = grantedAt.slice(0, i).filter((g) => g + 30 > t - 1000).length + 1;
      expect(inWindow).toBeLessThanOrEqual(5);
    }
    // And it does not waste the budget: 23 requests take a little over four windows.
    expect(grantedAt.at(-1)).toBeLessThan(4 * 1030 + 200);
  });

  it('holds every slot while requests are in flight, and pauses everyone after a 429', async () => {
    const clock = virtualClock();
    const limiter = new RollingWindowLimiter({ max: 2, intervalMs: 1000 }, clock);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then(() => {
      third = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    // Two unanswered requests hold both slots, however much time passes.
    expect(third).toBe(false);
    const pausedAt = clock.now();
    limiter.pauseUntil(pausedAt + 5000);
    first();
    second();
    await waiting;
    expect(third).toBe(true);
    // The slots were answered long ago in window terms, but the pause after a 429 still held the third back.
    expect(clock.now()).toBeGreaterThanOrEqual(pausedAt + 5000);
  });
});
