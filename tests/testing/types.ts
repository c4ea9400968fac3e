// The declarations of cloudbase-fn/testing as a TypeScript user meets them (tsc --noEmit, strict):
// a test client is a Client, handlers are typed from context, respondWith answers fit anywhere a
// handler does, and the test client takes no fetch.
import { createClient, FunctionNotFoundError, type Client } from "cloudbase-fn";
import { createTestClient, respondWith, TestClient, type HandlerContext, type TestCall } from "cloudbase-fn/testing";

const client: TestClient = createTestClient({
  accessToken: "t",
  timeoutMs: 100,
  retry: { maxAttempts: 2 },
  handlers: {
    echo: (data, context) => ({ a: data.a as number, attempt: context.attempt, q: context.qualifier ?? "" }),
    busy: (_data, context) => (context.attempt === 1 ? respondWith.error("EXCEED_CONCURRENT_REQUEST_LIMIT") : "ok"),
    missing: respondWith.error("FUNCTION_NOT_FOUND", { message: "gone", status: 404, headers: { "retry-after": "1" } }),
    slow: respondWith.delay(10, respondWith.hang()),
    fixed: { value: 1 },
    page: respondWith.status(502, "<h1>bad</h1>", { contentType: "text/html" }),
    blob: respondWith.bytes(new Uint8Array([1])),
    off: respondWith.networkError(),
    async later(data: Record<string, any>, context: HandlerContext) {
      context.signal?.addEventListener("abort", () => {});
      return respondWith.text(String(data.x));
    },
  },
});

// The same API as createClient's.
const asClient: Client = client;
const real: Client = createClient({ envId: "e" });
void real;

async function use(): Promise<void> {
  const n: { a: number } = await asClient.invoke<{ a: number }>("echo", { a: 1 }, { qualifier: "2", timeoutMs: 5 });
  const raw = await client.invoke<string>("busy", {}, { raw: true });
  const attempts: number = raw.attempts;
  const calls: readonly TestCall[] = client.calls;
  const first: TestCall | undefined = calls[0];
  const redacted: string | undefined = first?.headers.authorization;
  const attempt: number | undefined = first?.attempt;
  client.handlers.added = () => null;
  client.reset();
  try {
    await client.invoke("missing");
  } catch (e) {
    if (e instanceof FunctionNotFoundError) console.log(e.code, e.status, e.requestId);
  }
  void [n, attempts, redacted, attempt];
}
void use;

// TestClient is a class at run time, a subclass of Client: instanceof and new compile.
const something: unknown = client;
if (something instanceof TestClient) something.reset();
const constructed: TestClient = new TestClient({ handlers: { echo: (data) => data } });
const isClient: Client = constructed;
void isClient;
// @ts-expect-error a test client's options are createClient's, without fetch
new TestClient({ envID: "typo" });

// @ts-expect-error the test client is its own transport
createTestClient({ fetch: async () => new Response() });
// @ts-expect-error respondWith.error needs a code
respondWith.error();
