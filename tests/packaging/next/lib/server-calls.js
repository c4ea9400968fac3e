// What the Node route, the edge route and the middleware each do with the package, as JSON: the
// runtime suite's calls (calls-run.cjs, tests/runtimes/node/calls-run.cjs copied in by
// next.test.mjs) to the emulator named by `?emulator=URL`, and the typed errors they get.
import * as sdk from "cloudbase-fn";
import callAll from "./calls-run.cjs";

export async function serverCalls(request) {
  const out = { runtime: typeof EdgeRuntime === "string" ? "edge" : "nodejs" };
  try {
    Object.assign(out, await callAll(sdk, new URL(request.url).searchParams.get("emulator")));
  } catch (e) {
    out.failed = String((e && e.stack) || e) + (e && e.cause ? `\ncause: ${e.cause}` : "");
  }
  return Response.json(out);
}
