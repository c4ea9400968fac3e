// The workers-rs example, built by worker-build (build.sh), run in real workerd through
// Miniflare, calling the emulator over the network: typed results, a typed 404, a timeout and a
// retried busy answer, all decided by the same core as the npm package. Run by
// scripts/test.d/25-rust-client.sh; the emulator is EMULATOR_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Miniflare } from "miniflare";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

test("a workers-rs worker in workerd invokes functions through the Rust client", async (t) => {
  const gateway = process.env.EMULATOR_URL;
  assert.ok(gateway, "EMULATOR_URL is set");
  const build = join(import.meta.dirname, "build");
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(build, "index.js"),
    modulesRoot: build,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    bindings: { GATEWAY_URL: gateway },
  });
  t.after(() => mf.dispose());
  const res = await mf.dispatchFetch("http://worker.test/");
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const out = JSON.parse(text);
  assert.deepEqual(out.echo, { text: "héllo ✓" });
  assert.equal(out.hello, "Hello fn");
  assert.equal(out.notFound.typed, true);
  assert.equal(out.notFound.name, "FunctionNotFoundError");
  assert.equal(out.notFound.code, "FUNCTION_NOT_FOUND");
  assert.equal(out.notFound.status, 404);
  assert.match(out.notFound.requestId, UUID);
  assert.deepEqual(out.timeout, { typed: true, code: "TIMEOUT" });
  assert.deepEqual(out.busy, { attempts: 2, data: { attempts: 2 } });
});
