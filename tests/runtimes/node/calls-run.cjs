// The calls both calls.mjs and calls.cjs make, given the package as each module format loaded it:
// a few calls, including one that times out, then nothing (the process must exit by itself).
// `baseUrl` is the emulator's URL (calls-args.mjs passes it: Deno runs without --allow-env).
module.exports = async function callAll({ createClient, FunctionNotFoundError, TimeoutError }, baseUrl = process.env.EMULATOR_URL) {
  const client = createClient({ baseUrl });
  const out = {};
  out.echo = await client.invoke("echo", { text: "héllo ✓" });
  out.hello = await client.invoke("hello", {});
  try {
    await client.invoke("no-such-function", {});
  } catch (e) {
    out.notFound = { typed: e instanceof FunctionNotFoundError, code: e.code, requestId: e.requestId };
  }
  try {
    await client.invoke("slow", { ms: 3000 }, { timeoutMs: 200, retry: false });
  } catch (e) {
    out.timeout = { typed: e instanceof TimeoutError, code: e.code };
  }
  out.events = [];
  for await (const e of client.events("ticker", { count: 2, everyMs: 1 })) out.events.push(`${e.event} ${e.id} ${e.data}`);
  return out;
};
