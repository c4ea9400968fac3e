// The demo: invoke functions on the local emulator through the built npm package, and show the
// typed errors it raises. Usage: node demo.mjs <emulator URL>
import { createClient, CloudBaseError } from "cloudbase-fn";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8787";
const client = createClient({ baseUrl, timeoutMs: 5000 });

async function show(label, call) {
  try {
    const result = await call();
    console.log(`ok    ${label.padEnd(46)} -> ${JSON.stringify(result)}`);
  } catch (err) {
    if (!(err instanceof CloudBaseError)) throw err;
    console.log(`error ${label.padEnd(46)} -> ${err.name} code=${err.code} status=${err.status} requestId=${err.requestId}`);
    console.log(`      ${"".padEnd(46)}    message: ${err.message}`);
  }
}

console.log(`cloudbase-fn demo against ${baseUrl}\n`);
await show('invoke("echo", { a: 1 })', () => client.invoke("echo", { a: 1, b: [true, null] }));
await show('invoke("hello")', () => client.invoke("hello"));
await show('invoke("hello", {}, { qualifier: "2" })', () => client.invoke("hello", {}, { qualifier: "2" }));
await show('invoke("echo", …, { raw: true })', async () => {
  const { data, status, requestId } = await client.invoke("echo", { raw: 1 }, { raw: true });
  return { data, status, requestId };
});
await show('events("ticker", { count: 3 })  (streamed)', async () => {
  const events = [];
  for await (const { event, id, data } of client.events("ticker", { count: 3 })) events.push(`${event}#${id} ${data}`);
  return events;
});
await show('invoke("boom")', () => client.invoke("boom"));
await show('invoke("does-not-exist")', () => client.invoke("does-not-exist"));
await show('invoke("hello", {}, { qualifier: "9" })', () => client.invoke("hello", {}, { qualifier: "9" }));
await show('invoke("slow", { ms: 2000 })  (limit 1 s)', () => client.invoke("slow", { ms: 2000 }));
await show('invoke("echo", [1, 2])  (not an object)', () => client.invoke("echo", [1, 2]));
await show('invoke("bad/name")', () => client.invoke("bad/name"));
