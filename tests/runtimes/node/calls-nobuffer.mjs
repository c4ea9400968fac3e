// Run by node.test.mjs from inside the consumer project: the ES entry imported while there is no
// global `Buffer` (as in a Deno module of one's own), so the inlined wasm (base64) is decoded by the
// atob fallback. The package is imported after the global is gone (static imports would run
// first), and the global is put back for the calls: Node's own fetch needs it.
const saved = globalThis.Buffer;
delete globalThis.Buffer;
if (typeof Buffer !== "undefined") throw new Error("Buffer is still a global");
const sdk = await import("cloudbase-fn");
globalThis.Buffer = saved;
const { default: callAll } = await import("./calls-run.cjs");

const entry = import.meta.resolve("cloudbase-fn").split("/").pop();
console.log(JSON.stringify({ entry, ...(await callAll(sdk)) }));
