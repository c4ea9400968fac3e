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
  type RawResult,
  type ClientOptions,
} from "cloudbase-fn";

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
