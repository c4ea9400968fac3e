"use client";
// The client component: the package imported at module level (so the server pre-render loads it),
// the calls made in the browser after hydration, cross-origin to the gateway (the emulator, from
// the query string). The outcome goes to window.__result, as in the other browser apps.
import { useEffect, useState } from "react";
import { createClient, CloudBaseError, FunctionNotFoundError, InvalidArgumentError, TimeoutError } from "cloudbase-fn";
import { streaming } from "./streaming.js"; // copied in by next.test.mjs

function readyAtImport() {
  try {
    createClient({});
    return "no error";
  } catch (e) {
    return e instanceof InvalidArgumentError ? "InvalidArgumentError" : String(e);
  }
}

async function run() {
  const client = createClient({ baseUrl: new URL(location.href).searchParams.get("emulator") });
  const out = { origin: location.origin, ready: readyAtImport() };
  out.echo = await client.invoke("echo", { text: "héllo ✓", n: [1, 2] });
  out.hello = await client.invoke("hello", {});
  const raw = await client.invoke("echo", {}, { raw: true });
  out.raw = { status: raw.status, requestId: raw.requestId, header: raw.headers["x-request-id"] };
  try {
    await client.invoke("no-such-function", {});
    out.notFound = "resolved";
  } catch (e) {
    out.notFound = { typed: e instanceof FunctionNotFoundError, base: e instanceof CloudBaseError, name: e.name, code: e.code, status: e.status, requestId: e.requestId };
  }
  out.streaming = await streaming(client, TimeoutError);
  return out;
}

export default function Calls() {
  const [state, setState] = useState("calling");
  useEffect(() => {
    run().then(
      (result) => ((window.__result = result), setState("done")),
      (e) => ((window.__result = { failed: String((e && e.stack) || e) }), setState("failed")),
    );
  }, []);
  return <p id="state">{state}</p>;
}
