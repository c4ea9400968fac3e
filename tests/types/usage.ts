// Compiled with `tsc --noEmit` against the built package's declarations (scripts/test.d/35-types.sh):
// the public API must type-check the way the README shows it, and misuse must not.
import {
  createClient,
  invoke,
  CloudBaseError,
  FunctionNotFoundError,
  HttpError,
  PermissionDeniedError,
  ExceedAuthorityError,
  PayloadTooLargeError,
  Client,
  classes,
  signInAnonymously,
  type RawResult,
  type ClientOptions,
  type InvokeOptions,
  type BodyStream,
} from "cloudbase-fn";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <T extends true>(): void => {};

const options: ClientOptions = {
  envId: "my-env",
  intl: true,
  maxPayloadBytes: 1024 * 1024,
  retry: { maxAttempts: 3, baseDelayMs: 100 },
  accessToken: async ({ forceRefresh }) => (forceRefresh ? "a" : "b"),
};
const client = createClient(options);

async function main(): Promise<void> {
  const typed = await client.invoke<{ a: number }>("echo", { a: 1 });
  const n: number = typed.a;
  const raw: RawResult<string> = await client.invoke<string>("hello", {}, { raw: true });
  const status: number = raw.status;
  const once = await invoke({ baseUrl: "http://127.0.0.1:8787" }, "echo");
  try {
    await client.invoke("x", undefined, { qualifier: "2", webfn: true, timeoutMs: 10, signal: AbortSignal.timeout(5), retry: false });
  } catch (e) {
    if (e instanceof FunctionNotFoundError) {
      const code: string = e.code;
      const requestId: string | undefined = e.requestId;
      void code, requestId;
    }
    if (e instanceof PermissionDeniedError) {
      const code: string = e.code; // a category keeps any code the gateway sends
      const status: number | undefined = e.status;
      void code, status;
    }
    if (e instanceof ExceedAuthorityError) {
      const specific: "EXCEED_AUTHORITY" = e.code;
      const category: PermissionDeniedError = e; // a specific class extends its category
      void specific, category;
    }
    if (e instanceof PayloadTooLargeError) {
      const code: "EXCEED_MAX_PAYLOAD_SIZE" = e.code;
      void code;
    }
    if (e instanceof HttpError) {
      const body: string = e.body;
      void body;
    }
    if (e instanceof CloudBaseError && e instanceof Error) {
      const s: number | undefined = e.status;
      void s;
    }
  }
  void n, status, once;
}
void main;

// @ts-expect-error: data must be an object, not an array of numbers
client.invoke("echo", 5);
// @ts-expect-error: unknown option names are caught
createClient({ envID: "typo" });
// @ts-expect-error: retry.attempts was renamed maxAttempts (counts every attempt)
createClient({ envId: "x", retry: { attempts: 2 } });

// Data is any object type, an interface included (no index signature needed), as the runtime
// takes any plain object; arrays and other iterables are refused, as they are at run time.
interface Order {
  id: string;
  items: string[];
}
const order: Order = { id: "1", items: [] };

// A wrapper forwarding options of the exported type: the call resolves to the union of what its
// raw and stream flags may give.
function forward<T>(name: string, data?: Order, options?: InvokeOptions) {
  return client.invoke<T>(name, data, options);
}

async function dataAndOptions(): Promise<void> {
  await client.invoke("createOrder", order);
  await client.invoke("createOrder", order, { raw: true });
  await invoke({ envId: "my-env" }, "createOrder", order);
  for await (const e of client.events("orders", order)) void e;
  const record: Record<string, unknown> = { a: 1 };
  await client.invoke("echo", record);
  const forwarded = await forward<{ a: number }>("echo", order, { timeoutMs: 5 });
  same<Equal<typeof forwarded, { a: number } | RawResult<{ a: number }> | BodyStream | RawResult<BodyStream>>>();
  const flag = Math.random() > 0.5;
  const either = await client.invoke<string>("hello", {}, { raw: flag });
  same<Equal<typeof either, string | RawResult<string> | BodyStream | RawResult<BodyStream>>>();
  const onceEither = await invoke<string>({ envId: "my-env" }, "hello", undefined, { stream: flag });
  same<Equal<typeof onceEither, string | RawResult<string> | BodyStream | RawResult<BodyStream>>>();
  // Literal flags still give the precise type.
  const plain = await client.invoke<string>("hello", {}, { raw: false, stream: false });
  same<Equal<typeof plain, string>>();
  // One-shot streams: the same overloads as a client's.
  const onceBody = await invoke({ envId: "my-env" }, "report", {}, { stream: true });
  same<Equal<typeof onceBody, BodyStream>>();
  const onceRawBody = await invoke({ envId: "my-env" }, "report", undefined, { stream: true, raw: true });
  same<Equal<typeof onceRawBody, RawResult<BodyStream>>>();

  // @ts-expect-error: one-shot with stream: true resolves to the body, not to T
  const notText: string = await invoke<string>({ envId: "my-env" }, "report", {}, { stream: true });
  // @ts-expect-error: forwarded options may be raw or stream: not the bare result
  const notBare: { a: number } = await forward<{ a: number }>("echo", order);
  // @ts-expect-error: an array is not data
  await client.invoke("echo", order.items);
  // @ts-expect-error: a tuple neither
  await client.invoke("echo", [1, "a"] as const);
  // @ts-expect-error: a Map is not a plain object
  await client.invoke("echo", new Map([["a", 1]]));
  // @ts-expect-error: null is not data (undefined sends {})
  await client.invoke("echo", null);
  // @ts-expect-error: nor a string
  await client.invoke("echo", "text");
  // @ts-expect-error: events refuse arrays too
  client.events("ticker", [1]);
  // @ts-expect-error: and the one-shot form
  await invoke({ envId: "my-env" }, "echo", ["a"]);
  void notText, notBare;
}
void dataAndOptions;

// Client and the error classes by name are values at run time: instanceof, new, lookup by name.
const maybe: unknown = client;
if (maybe instanceof Client) {
  const narrowed: Client = maybe;
  void narrowed;
}
const constructed: Client = new Client({ envId: "my-env" });
const NotFound: typeof CloudBaseError = classes.FunctionNotFoundError;
const fromTable: CloudBaseError = new classes.CloudBaseError("x", { code: "X" });
void constructed, NotFound, fromTable;
// @ts-expect-error: a client needs its options
new Client();
// @ts-expect-error: the table is read-only
classes.MyError = CloudBaseError;

// signInAnonymously's provider: what accessToken takes, and callable with no argument.
async function anonymous(): Promise<void> {
  const provider = await signInAnonymously({ envId: "my-env" });
  const token: string = await provider();
  const fresh: string = await provider({ forceRefresh: true });
  createClient({ envId: "my-env", accessToken: provider });
  // @ts-expect-error: forceRefresh is a boolean
  await provider({ forceRefresh: "yes" });
  void token, fresh;
}
void anonymous;
