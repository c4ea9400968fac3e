// Hooks, streamed answers and server-sent events as the README shows them, untyped and with a
// function map; misuse must not compile (scripts/test.d/35-types.sh).
import {
  createClient,
  HookError,
  type BeforeRequestContext,
  type AfterResponseContext,
  type BeforeRetryContext,
  type ServerSentEvent,
  type Hooks,
  type FunctionTypes,
} from "cloudbase-fn";

const hooks: Hooks = {
  beforeRequest: (r: BeforeRequestContext) => {
    r.headers.traceparent = "00-…";
    const n: number = r.attempt;
    void n;
  },
  afterResponse: [(r: AfterResponseContext) => void [r.status, r.requestId, r.durationMs, r.headers.traceparent]],
  beforeRetry: async (r: BeforeRetryContext) => void [r.error.code, r.delayMs],
};
const client = createClient({ envId: "my-env", hooks });

interface Functions {
  ticker: FunctionTypes<{ count?: number }, string>;
  echo: FunctionTypes<{ a: number }, { a: number }>;
}
const typed = createClient<Functions>({ envId: "my-env" });

async function main(): Promise<void> {
  const body: ReadableStream<Uint8Array> = await client.invoke("report", {}, { stream: true, hooks: { beforeRetry: () => {} } });
  const raw = await client.invoke("report", {}, { stream: true, raw: true });
  const rawBody: ReadableStream<Uint8Array> = raw.data;
  for await (const e of client.events("ticker", { count: 3 }, { timeoutMs: 1000, signal: AbortSignal.timeout(5000) })) {
    const { event, data, id }: ServerSentEvent = e;
    void [event, data, id];
  }
  const typedBody: ReadableStream<Uint8Array> = await typed.invoke("ticker", {}, { stream: true });
  for await (const e of typed.events("ticker")) void e.data.length;
  const a: number = (await typed.invoke("echo", { a: 1 })).a;
  void [body, rawBody, typedBody, a];

  // @ts-expect-error: a stream is not the function's result
  const wrong: { a: number } = await typed.invoke("echo", { a: 1 }, { stream: true });
  // @ts-expect-error: events takes no raw or stream option
  client.events("ticker", {}, { raw: true });
  // @ts-expect-error: events of a typed client check the name
  typed.events("no-such-function");
  // @ts-expect-error: and the data
  typed.events("echo", { a: "1" });
  void wrong;
}
void main;

// @ts-expect-error: hooks are functions
createClient({ envId: "x", hooks: { beforeRequest: "log" } });
// @ts-expect-error: a misspelt hook
createClient({ envId: "x", hooks: { beforeRequests: () => {} } });
const hookError: HookError = new HookError("x");
void hookError;
