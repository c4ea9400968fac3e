// The page's app, shared by the plain <script type="module"> page (import map), the Vite build and
// the esbuild bundle. The emulator URL comes in the query string; the outcome goes to window.__result.
import * as sdk from "cloudbase-fn";
import { notFound, streaming } from "./shared.js";

const { createClient, InvalidArgumentError } = sdk;

// Checked by the core, synchronously while this module evaluates: the wasm was ready at import.
function readyAtImport() {
  try {
    createClient({});
    return "no error";
  } catch (e) {
    return e instanceof InvalidArgumentError ? "InvalidArgumentError" : String(e);
  }
}
const ready = readyAtImport();

async function run() {
  const client = createClient({ baseUrl: new URL(location.href).searchParams.get("emulator") });
  const out = { origin: location.origin, ready };
  out.echo = await client.invoke("echo", { text: "héllo ✓", n: [1, 2] });
  out.hello = await client.invoke("hello", {});
  const raw = await client.invoke("echo", {}, { raw: true });
  out.raw = { status: raw.status, requestId: raw.requestId, header: raw.headers["x-request-id"] };
  out.notFound = await notFound(client, sdk);
  out.streaming = await streaming(client, sdk);
  return out;
}

run().then(
  (result) => (window.__result = result),
  (e) => (window.__result = { failed: String((e && e.stack) || e) + (e && e.cause ? `\ncause: ${e.cause}` : "") }),
);

