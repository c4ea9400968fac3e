// The README's examples run as written (one substitution: the emulator's baseUrl for `envId`), so
// they cannot rot: the OpenTelemetry hooks example with a real tracer provider and W3C propagator,
// and the streaming example against the emulator's ticker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startEmulator, root } from "./helpers/emulator.mjs";
import { consumerDir } from "./helpers/package.mjs";

const readme = readFileSync(join(root, "README.md"), "utf8");
const require = createRequire(join(root, "package.json"));
let emu;
before(async () => (emu = await startEmulator(["--faults"])));
after(() => emu?.stop());

/** The first ```js block of the README section `heading`. */
function example(heading) {
  const section = readme.split(`\n${heading}\n`)[1];
  assert.ok(section, `README has no "${heading}"`);
  return /```js\n([\s\S]*?)```/.exec(section)[1];
}

/** Writes `code` as a module of the consumer project (where "cloudbase-fn" is installed) and imports it. */
async function run(name, code) {
  // The dev dependencies the example imports are this repository's; the consumer has only the package.
  const resolved = code.replace(/from "(@opentelemetry\/[^"]+)"/g, (_, id) => `from ${JSON.stringify(pathToFileURL(require.resolve(id)).href)}`);
  const file = join(consumerDir(), `${name}-${process.pid}.mjs`);
  writeFileSync(file, resolved);
  return import(pathToFileURL(file).href);
}

test("README Hooks: the OpenTelemetry example records a span per request and propagates its traceparent", async () => {
  const code = example("### Hooks");
  assert.ok(code.includes("envId, accessToken,"));
  const module = await run(
    "readme-hooks",
    `import { trace as _trace, propagation as _propagation } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
export const exporter = new InMemorySpanExporter();
_trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
_propagation.setGlobalPropagator(new W3CTraceContextPropagator());
` + code.replace("envId, accessToken,", `baseUrl: ${JSON.stringify(emu.url)},`) + "\nexport { client };\n",
  );
  const sent = await module.client.invoke("fault-headers", {});
  await module.client.invoke("no-such-function").catch(() => {});
  const spans = module.exporter.getFinishedSpans();
  assert.deepEqual(spans.map((s) => s.name), ["invoke fault-headers", "invoke no-such-function"]);
  const [ok, missing] = spans;
  assert.equal(sent.traceparent, `00-${ok.spanContext().traceId}-${ok.spanContext().spanId}-01`, "the gateway got the span's traceparent");
  assert.equal(ok.attributes["http.response.status_code"], 200);
  assert.equal(missing.attributes["http.response.status_code"], 404);
  assert.match(String(missing.attributes["cloudbase.request_id"]), /\S/);
  assert.equal(missing.status.code, 2); // SpanStatusCode.ERROR
});

test("README Streamed answers: the events loop prints the ticker's events", async () => {
  const code = example("### Streamed answers");
  const events = code.slice(code.indexOf("// Server-sent events"));
  const module = await run(
    "readme-stream",
    `import { createClient } from "cloudbase-fn";
const client = createClient({ baseUrl: ${JSON.stringify(emu.url)} });
const console = { log: (...args) => lines.push(args) };
export const lines = [];
${events}`,
  );
  assert.deepEqual(module.lines, [["tick", "0", { i: 0 }], ["tick", "1", { i: 1 }], ["tick", "2", { i: 2 }]]);
});
