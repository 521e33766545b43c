import { describe, expect, it } from "vitest";
import { createSemaphore, SemaphoreFullError } from "./semaphore";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("createSemaphore", () => {
  it("never runs more than `limit` at once, and runs everything queued", async () => {
    const s = createSemaphore(2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        s.run(async () => {
          running++;
          most = Math.max(most, running);
          await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
    expect(s.stats()).toEqual({ active: 0, waiting: 0, peak: 2 });
  });

  it("frees the slot when the task throws", async () => {
    const s = createSemaphore(1);
    await expect(s.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await s.run(async () => "next")).toBe("next");
  });

  it("rejects at once when the queue is full", async () => {
    const s = createSemaphore(1, 1);
    const first = s.run(tick);
    const second = s.run(tick);
    await expect(s.run(tick)).rejects.toBeInstanceOf(SemaphoreFullError);
    await Promise.all([first, second]);
  });
});
