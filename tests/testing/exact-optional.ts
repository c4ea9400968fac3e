// Compiled with exactOptionalPropertyTypes (tsconfig.json), as a strict project would: an option
// set to undefined is absent for the runtime, so the declarations accept it (a value read from an
// optional field or an environment variable can be passed as is), while null and wrong types stay
// errors, and literal raw / stream still pick the precise result.
import { createClient, invoke, signInAnonymously, TimeoutError, type ClientOptions, type Hooks, type RawResult, type BodyStream, type FunctionTypes } from "cloudbase-fn";
import { createTestClient, respondWith } from "cloudbase-fn/testing";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <T extends true>(): void => {};

declare const env: { TCB_ENV?: string; TCB_TOKEN?: string; TIMEOUT_MS?: number };
declare const signal: AbortSignal | undefined;

const options: ClientOptions = {
  envId: env.TCB_ENV,
  intl: undefined,
  baseUrl: undefined,
  accessToken: env.TCB_TOKEN,
  timeoutMs: env.TIMEOUT_MS,
  maxPayloadBytes: undefined,
  fetch: undefined,
  headers: undefined,
  retry: { maxAttempts: undefined, attempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined, onNetworkError: undefined },
  credentials: undefined,
  allowSecretKeyInBrowser: undefined,
  hooks: { beforeRequest: undefined, afterResponse: undefined, beforeRetry: undefined },
};
const hooks: Hooks = { beforeRequest: undefined };
const client = createClient(options);
createClient({ envId: "e", retry: undefined, hooks, credentials: { secretId: "id", secretKey: "key", sessionToken: undefined } });

interface Functions {
  hello: FunctionTypes<{ name: string }, string>;
  whoami: FunctionTypes<{}, { id: string }>;
}
const typed = createClient<Functions>({ envId: env.TCB_ENV, accessToken: env.TCB_TOKEN });

async function calls(): Promise<void> {
  const each = { signal, qualifier: undefined, webfn: undefined, timeoutMs: undefined, headers: undefined, retry: undefined, hooks: undefined };
  const plain = await client.invoke<{ a: number }>("echo", {}, { ...each, raw: undefined, stream: undefined });
  same<Equal<typeof plain, { a: number }>>();
  const raw = await client.invoke<string>("hello", undefined, { raw: true, stream: undefined });
  same<Equal<typeof raw, RawResult<string>>>();
  const body = await client.invoke("report", undefined, { stream: true, raw: undefined });
  same<Equal<typeof body, BodyStream>>();
  const once = await invoke<number>({ envId: env.TCB_ENV }, "count", undefined, { raw: undefined, timeoutMs: undefined });
  same<Equal<typeof once, number>>();
  const me = await typed.invoke("whoami", undefined, { raw: undefined, signal });
  same<Equal<typeof me, { id: string }>>();
  const text = await typed.invoke("hello", { name: "Ada" }, undefined);
  same<Equal<typeof text, string>>();
  for await (const e of typed.events("whoami", undefined, { signal, timeoutMs: undefined })) void e;
  for await (const e of client.events("ticker", undefined, { qualifier: undefined })) void e;

  const provider = await signInAnonymously({ envId: "e", intl: undefined, baseUrl: undefined, deviceId: undefined, clientId: undefined, fetch: undefined });
  const token: string = await provider({ forceRefresh: undefined });
  void token;

  // @ts-expect-error: null is not undefined (timeoutMs must be a number)
  await client.invoke("echo", {}, { timeoutMs: null });
  // @ts-expect-error: a typed client's data is still required where a field is
  await typed.invoke("hello", undefined, { raw: undefined });
}
void calls;

createTestClient({ handlers: undefined, fetch: undefined, timeoutMs: undefined, accessToken: undefined });
respondWith.error("FUNCTION_NOT_FOUND", { message: undefined, status: undefined, headers: undefined });
respondWith.status(200, "ok", { contentType: undefined, headers: undefined });
// @ts-expect-error: still no fetch of its own
createTestClient({ fetch: async () => new Response() });
// @ts-expect-error: nor null handlers
createTestClient({ handlers: null });

// Errors built by hand (a mock transport's, a wrapper's) with fields that may be undefined.
declare const maybeStatus: number | undefined;
export const built = new TimeoutError("slow", { status: maybeStatus, requestId: undefined, attempts: undefined });
