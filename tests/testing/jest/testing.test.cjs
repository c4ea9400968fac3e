// Jest (CommonJS, node environment): the shared cases, then Jest's own matchers, jest.fn() and
// fake timers. Jest loads the package through its own module registry.
const pkg = require("cloudbase-fn");
const testing = require("cloudbase-fn/testing");
const { FunctionNotFoundError, TimeoutError } = require("cloudbase-fn");
const { createTestClient, respondWith } = require("cloudbase-fn/testing");
const cases = require("../cases.cjs");

for (const [title, fn] of cases(pkg, testing)) test(title, fn);

test("rejects.toThrow / toMatchObject with the main entry's classes", async () => {
  const client = createTestClient({ handlers: {} });
  await expect(client.invoke("missing")).rejects.toThrow(FunctionNotFoundError);
  await expect(client.invoke("missing")).rejects.toMatchObject({ code: "FUNCTION_NOT_FOUND", status: 404 });
  expect(client.calls).toHaveLength(2);
});

test("a jest.fn() handler is called with the data and the context", async () => {
  const handler = jest.fn((data) => ({ got: data.a }));
  const client = createTestClient({ handlers: { echo: handler } });
  await expect(client.invoke("echo", { a: 1 })).resolves.toEqual({ got: 1 });
  expect(handler).toHaveBeenCalledWith({ a: 1 }, expect.objectContaining({ functionName: "echo", attempt: 1 }));
});

test("fake timers: a hanging call ends when the client's timeout is advanced", async () => {
  jest.useFakeTimers();
  try {
    const client = createTestClient({ handlers: { slow: respondWith.hang() } });
    const outcome = expect(client.invoke("slow", {}, { timeoutMs: 60_000 })).rejects.toThrow(TimeoutError);
    await jest.advanceTimersByTimeAsync(60_000);
    await outcome;
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});
