// The write limiter as concurrent items use it: slots are spread one every 1/rate, never a burst that
// takes a whole window at once (the target would see part of it inside its next window).
import { WriteLimiter } from '../../src/util/rate-limiter';

test('concurrent writers get slots spaced by 1/rate, and no window holds more than the limit', async () => {
  const limiter = new WriteLimiter({ perSecond: 20 });
  // The time the limiter granted each slot (its last look at the clock), not when the caller got to run:
  // on a loaded machine a caller may resume late and make two grants look closer than they were.
  let granted = 0;
  const clock = () => (granted = Date.now());
  const slots: number[] = [];
  await Promise.all(Array.from({ length: 12 }, () => limiter.acquire(clock).then(() => slots.push(granted))));
  const gaps = slots.slice(1).map((t, i) => t - slots[i]!);
  // 50 ms apart; a loaded machine only widens the gaps.
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
  for (const t of slots) expect(slots.filter((u) => u >= t && u - t < 1_000).length).toBeLessThanOrEqual(20);
});
