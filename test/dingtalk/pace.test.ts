import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/io/dingtalk/pace.js';

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return done;
};

// The pacer re-checks its clock after each sleep; here a sleep is one turn of the event loop.
const poll = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('pacing by recipients a minute', () => {
  it('lets sends through while they fit in the window, holds the next until the oldest leave it', async () => {
    let t = 0;
    const pacer = createPacer({ perWindow: 5000, windowMs: 60_000, now: () => t, sleep: poll });
    expect(await settled(pacer.take(3000))).toBe(true);
    expect(await settled(pacer.take(2000))).toBe(true);
    const third = pacer.take(100);
    expect(await settled(third)).toBe(false); // 5100 > 5000 within the minute
    t = 59_999;
    expect(await settled(third)).toBe(false);
    t = 60_000; // the first 3000 leave the window
    expect(await settled(third)).toBe(true);
  });

  it('sends one larger than the whole cap alone, into an empty window', async () => {
    let t = 0;
    const pacer = createPacer({ perWindow: 100, windowMs: 1000, now: () => t, sleep: poll });
    await pacer.take(10);
    const big = pacer.take(500);
    expect(await settled(big)).toBe(false);
    t = 1000;
    expect(await settled(big)).toBe(true);
  });

  it('keeps order: a small send does not overtake a waiting large one', async () => {
    let t = 0;
    const pacer = createPacer({ perWindow: 10, windowMs: 1000, now: () => t, sleep: poll });
    await pacer.take(8);
    const order: string[] = [];
    const large = pacer.take(5).then(() => order.push('large'));
    const small = pacer.take(1).then(() => order.push('small'));
    expect(await settled(small)).toBe(false);
    t = 1000;
    await Promise.all([large, small]);
    expect(order).toEqual(['large', 'small']);
  });

  it('is off at 0', async () => {
    const pacer = createPacer({ perWindow: 0, windowMs: 1000, now: () => 0 });
    expect(await settled(Promise.all([pacer.take(1e6), pacer.take(1e6)]))).toBe(true);
  });
});
