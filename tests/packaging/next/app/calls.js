"use client";
// The client component: the package imported at module level (so the server pre-render loads it),
// the calls made in the browser after hydration, cross-origin to the gateway (the emulator, from
// the query string). The outcome goes to window.__result, as in the other browser apps.
import { useEffect, useState } from "react";
import * as sdk from "cloudbase-fn";
import { notFound, streaming } from "./shared.js"; // tests/runtimes/apps/site/shared.js, copied in by next.test.mjs

const { createClient, InvalidArgumentError } = sdk;

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
  out.notFound = await notFound(client, sdk);
  out.streaming = await streaming(client, sdk);
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
