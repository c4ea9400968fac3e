// node:test, ES modules: the shared cases, then what a node:test user reaches for (t.mock.fn).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as pkg from "cloudbase-fn";
import * as testing from "cloudbase-fn/testing";
import cases from "../cases.cjs";

for (const [title, fn] of cases(pkg, testing)) test(title, fn);

test("a t.mock.fn() handler is called with the data and the context", async (t) => {
  const handler = t.mock.fn((data) => ({ got: data.a }));
  const client = testing.createTestClient({ handlers: { echo: handler } });
  assert.deepEqual(await client.invoke("echo", { a: 1 }), { got: 1 });
  assert.equal(handler.mock.callCount(), 1);
  const [data, context] = handler.mock.calls[0].arguments;
  assert.deepEqual(data, { a: 1 });
  assert.deepEqual([context.functionName, context.attempt, context.requestId], ["echo", 1, client.calls[0].requestId]);
});
