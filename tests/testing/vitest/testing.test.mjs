// Vitest: the shared cases, then Vitest's own matchers, vi.fn() and fake timers.
import { createRequire } from "node:module";
import { test, expect, vi } from "vitest";
import * as pkg from "cloudbase-fn";
import * as testing from "cloudbase-fn/testing";
import { FunctionNotFoundError, TimeoutError } from "cloudbase-fn";
import { createTestClient, respondWith } from "cloudbase-fn/testing";

// Loaded by Node itself, not transformed by Vite: the same file the other runners load.
const cases = createRequire(import.meta.url)("../cases.cjs");
for (const [title, fn] of cases(pkg, testing)) test(title, fn);

test("rejects.toBeInstanceOf / toMatchObject with the main entry's classes", async () => {
  const client = createTestClient({ handlers: {} });
  await expect(client.invoke("missing")).rejects.toBeInstanceOf(FunctionNotFoundError);
  await expect(client.invoke("missing")).rejects.toMatchObject({ code: "FUNCTION_NOT_FOUND", status: 404 });
  expect(client.calls).toHaveLength(2);
});

test("a vi.fn() handler is called with the data and the context", async () => {
  const handler = vi.fn((data) => ({ got: data.a }));
  const client = createTestClient({ handlers: { echo: handler } });
  await expect(client.invoke("echo", { a: 1 })).resolves.toEqual({ got: 1 });
  expect(handler).toHaveBeenCalledWith({ a: 1 }, expect.objectContaining({ functionName: "echo", attempt: 1 }));
});

test("fake timers: a hanging call ends when the client's timeout is advanced", async () => {
  vi.useFakeTimers();
  try {
    const client = createTestClient({ handlers: { slow: respondWith.hang() } });
    const outcome = expect(client.invoke("slow", {}, { timeoutMs: 60_000 })).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(60_000);
    await outcome;
    expect(vi.getTimerCount()).toBe(0);
  } finally {
    vi.useRealTimers();
  }
});
