// Types of cloudbase-fn: the options, hand-written here; the build appends the error classes
// generated from the Rust error table (tools/codegen errors-dts).

export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 = no retry; at most 10). */
  maxAttempts?: number;
  /** Renamed `maxAttempts` (which counts the first attempt too): refused with an InvalidArgumentError. */
  attempts?: never;
  /** Backoff base in ms (default 200); the n-th wait is uniform in [0, min(maxDelayMs, base * 2^n)]. */
  baseDelayMs?: number;
  /** Longest wait in ms (default 5000); a longer Retry-After (seconds or an HTTP date) ends the retries. */
  maxDelayMs?: number;
  /** Also retry network errors and timeouts, where the function may already have run (default false). */
  onNetworkError?: boolean;
}

export type AccessTokenProvider = (options: { forceRefresh: boolean }) => string | Promise<string>;

export interface ClientOptions {
  /** CloudBase environment id: calls go to https://{envId}.api.tcloudbasegateway.com */
  envId?: string;
  /** An international environment: calls go to https://{envId}.api.intl.tcloudbasegateway.com */
  intl?: boolean;
  /** Replaces the envId host (emulator, private gateway). https, or http for loopback only. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>`: a string, or a function returning one. */
  accessToken?: string | AccessTokenProvider;
  /** Per attempt, in ms (default 60000; 0 = none); also bounds the wait for a token provider. */
  timeoutMs?: number;
  /** Largest JSON body sent, in UTF-8 bytes (default 6291456 = 6 MiB, the gateway's limit; 0 = none). */
  maxPayloadBytes?: number;
  /** A transport with the signature of fetch (default: the global fetch). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** Retry policy (default: 3 attempts on EXCEED_CONCURRENT_REQUEST_LIMIT, FUNCTION_EXCEED_RESOURCE_LIMIT, 503); false = off. */
  retry?: RetryOptions | false;
  /**
   * Server-side only (Node, Workers): sign every attempt with TC3-HMAC-SHA256 instead of a Bearer
   * token. Refused in a browser unless `allowSecretKeyInBrowser` is set; not in the browser build.
   */
  credentials?: SecretCredentials;
  /** Accept `credentials` in a browser-like runtime (only for pages that are not public). */
  allowSecretKeyInBrowser?: boolean;
  /** Observe every call and add headers; a call's own hooks run after these. */
  hooks?: Hooks;
}

/** One hook or several, run in order and awaited; one that throws ends the call with a HookError. */
export type HookList<C> = ((context: C) => void | Promise<void>) | Array<(context: C) => void | Promise<void>>;

export interface BeforeRequestContext {
  name: string;
  url: string;
  /** 1 for the first request of the call, 2 for the next one (a retry or a token refresh), … */
  attempt: number;
  /**
   * The headers about to be sent, lower-case names; `authorization` shows only its scheme
   * ("Bearer [redacted]"). Add or change entries to send them (the SDK's own headers are refused).
   */
  headers: Record<string, string>;
}

export interface AfterResponseContext {
  name: string;
  url: string;
  attempt: number;
  /** The request headers as sent (the credential redacted as in beforeRequest), e.g. to find a traceparent. */
  headers: Record<string, string>;
  status: number;
  requestId: string | undefined;
  /** From sending the request to the head of the answer. */
  durationMs: number;
}

export interface BeforeRetryContext {
  name: string;
  url: string;
  /** The number of the request about to be sent. */
  attempt: number;
  /** Why the last request failed (a retryable error, or an expired token about to be refreshed). */
  error: CloudBaseError;
  /** How long the SDK waits before sending it. */
  delayMs: number;
}

export interface Hooks {
  beforeRequest?: HookList<BeforeRequestContext>;
  afterResponse?: HookList<AfterResponseContext>;
  beforeRetry?: HookList<BeforeRetryContext>;
}

/** One server-sent event (client.events). */
export interface ServerSentEvent {
  /** The `event:` field, "message" when the event has none. */
  event: string;
  /** The `data:` lines joined by "\n" (JSON.parse it when the function sends JSON). */
  data: string;
  /** The last `id:` seen in the stream ("" if none). */
  id: string;
}

export interface SecretCredentials {
  secretId: string;
  secretKey: string;
  /** The token of temporary credentials (STS), appended to the signature. */
  sessionToken?: string;
}

export interface InvokeOptions {
  /** Function version or alias, sent as X-Qualifier. */
  qualifier?: string;
  /** Call a web function (sends X-Tcb-Webfn: true). */
  webfn?: boolean;
  /** Per attempt, in ms; overrides the client's. */
  timeoutMs?: number;
  /** Cancels the call; an already-aborted signal sends nothing. */
  signal?: AbortSignal;
  /** Extra headers for this call (override the client's of the same name). */
  headers?: Record<string, string>;
  /** Resolve to `{ data, status, requestId, headers, attempts }` instead of the data. */
  raw?: boolean;
  retry?: RetryOptions | false;
  /**
   * Resolve, once a 2xx head is in, to the body as a ReadableStream<Uint8Array>, unbuffered;
   * `timeoutMs` then also bounds each wait for the next chunk, and `signal` cancels the stream.
   */
  stream?: boolean;
  /** Hooks for this call, run after the client's. */
  hooks?: Hooks;
}

export interface RawResult<T = unknown> {
  data: T;
  status: number;
  requestId: string | undefined;
  headers: Record<string, string>;
  /** How many attempts the call took (1 when it was not retried). */
  attempts: number;
}

/** What a function answers: parsed JSON, a string for text/plain, bytes otherwise. */
export type FunctionResult = unknown;

/** The options of `client.events`: those of `invoke` but `raw` and `stream`. */
export type EventsOptions = Omit<InvokeOptions, "raw" | "stream">;

/** What `stream: true` resolves to: the body as it arrives. */
export type BodyStream = ReadableStream<Uint8Array>;

export interface Client {
  invoke(name: string, data: Record<string, unknown> | undefined, options: InvokeOptions & { stream: true; raw?: false }): Promise<BodyStream>;
  invoke(name: string, data: Record<string, unknown> | undefined, options: InvokeOptions & { stream: true; raw: true }): Promise<RawResult<BodyStream>>;
  invoke<T = FunctionResult>(name: string, data?: Record<string, unknown>, options?: InvokeOptions & { raw?: false; stream?: false }): Promise<T>;
  invoke<T = FunctionResult>(name: string, data: Record<string, unknown> | undefined, options: InvokeOptions & { raw: true; stream?: false }): Promise<RawResult<T>>;
  /**
   * The server-sent events function `name` streams. The call is sent when iteration starts; an
   * error answer rejects the first `next()` with its typed error; leaving the loop closes the stream.
   */
  events(name: string, data?: Record<string, unknown>, options?: EventsOptions): AsyncGenerator<ServerSentEvent, void, undefined>;
  /** Does nothing (kept for compatibility): a client holds no wasm memory. */
  free(): void;
}

/** One function's types: the `data` it takes (an object: the body is its JSON) and the `result` it answers. */
export interface FunctionTypes<Data extends object = Record<string, unknown>, Result = unknown> {
  data: Data;
  result: Result;
}

/**
 * What `createClient<F>` accepts: an interface or type whose properties are function names, each
 * `{ data; result }`. Written as a check of F itself (`F extends FunctionMap<F>`) because an
 * interface, unlike a type literal, is not assignable to an index signature.
 */
export type FunctionMap<F = any> = { [Name in keyof F]: FunctionTypes<object, unknown> };

/** The `data` of function `Name` in map `F`. */
export type DataOf<F extends FunctionMap<F>, Name extends keyof F> = F[Name]["data"];
/** The `result` of function `Name` in map `F`: what `invoke` resolves to. */
export type ResultOf<F extends FunctionMap<F>, Name extends keyof F> = F[Name]["result"];

/**
 * The arguments of `invoke` after the name, for wrappers of a typed client: `data` may be left out
 * when `{}` is a valid value of it (every field optional, or a function typed loosely).
 */
export type InvokeArgs<F extends FunctionMap<F>, Name extends keyof F> = {} extends DataOf<F, Name>
  ? [data?: DataOf<F, Name>, options?: InvokeOptions & { raw?: false; stream?: false }]
  : [data: DataOf<F, Name>, options?: InvokeOptions & { raw?: false; stream?: false }];
/** The same with `{ raw: true }`, which resolves to a `RawResult`. */
export type RawInvokeArgs<F extends FunctionMap<F>, Name extends keyof F> = {} extends DataOf<F, Name>
  ? [data: DataOf<F, Name> | undefined, options: InvokeOptions & { raw: true; stream?: false }]
  : [data: DataOf<F, Name>, options: InvokeOptions & { raw: true; stream?: false }];
/** The arguments of `events` after the name. */
export type EventsArgs<F extends FunctionMap<F>, Name extends keyof F> = {} extends DataOf<F, Name>
  ? [data?: DataOf<F, Name>, options?: EventsOptions]
  : [data: DataOf<F, Name>, options?: EventsOptions];

/** A client typed by a function map (`createClient<F>`): only F's names, each with its own data and result. */
export interface TypedClient<F extends FunctionMap<F>> {
  invoke<Name extends keyof F & string>(name: Name, data: DataOf<F, Name> | undefined, options: InvokeOptions & { stream: true; raw?: false }): Promise<BodyStream>;
  invoke<Name extends keyof F & string>(name: Name, data: DataOf<F, Name> | undefined, options: InvokeOptions & { stream: true; raw: true }): Promise<RawResult<BodyStream>>;
  invoke<Name extends keyof F & string>(name: Name, ...args: InvokeArgs<F, Name>): Promise<ResultOf<F, Name>>;
  invoke<Name extends keyof F & string>(name: Name, ...args: RawInvokeArgs<F, Name>): Promise<RawResult<ResultOf<F, Name>>>;
  /** See `Client.events`; the events' data is text whatever `result` says. */
  events<Name extends keyof F & string>(name: Name, ...args: EventsArgs<F, Name>): AsyncGenerator<ServerSentEvent, void, undefined>;
  /** Does nothing (kept for compatibility): a client holds no wasm memory. */
  free(): void;
}

/**
 * `createClient(options)` is the untyped `Client`; `createClient<F>(options)` a `TypedClient<F>`.
 * One signature with a conditional result rather than two overloads, so a mistake in the options
 * is reported as itself, not as "no overload matches". `never`, the default, marks "no map".
 */
export declare function createClient<F extends FunctionMap<F> = never>(options: ClientOptions): [F] extends [never] ? Client : TypedClient<F>;

export interface SignInOptions {
  envId?: string;
  intl?: boolean;
  baseUrl?: string;
  /** Sent as x-device-id (16 to 48 letters, digits or '-'); one anonymous user per device. Default: random. */
  deviceId?: string;
  /** Auth client id (default: the envId). */
  clientId?: string;
  fetch?: ClientOptions["fetch"];
}

/**
 * Signs in anonymously (CloudBase auth v2: POST /auth/v1/signin/anonymously) and resolves to a
 * provider for `accessToken` that caches the access token until it expires and refreshes it with
 * the refresh token (POST /auth/v1/token). Rejects with AuthError when sign-in fails.
 */
export declare function signInAnonymously(options: SignInOptions): Promise<AccessTokenProvider>;

export declare function invoke<T = FunctionResult>(options: ClientOptions, name: string, data?: Record<string, unknown>, invokeOptions?: InvokeOptions & { raw?: false }): Promise<T>;
export declare function invoke<T = FunctionResult>(options: ClientOptions, name: string, data: Record<string, unknown> | undefined, invokeOptions: InvokeOptions & { raw: true }): Promise<RawResult<T>>;
// Typed one-shot form: `invoke<Functions, "echo">(options, "echo", data)`. Both type arguments are
// needed (TypeScript infers none once one is given), and the count keeps it apart from `invoke<T>`.
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, ...args: InvokeArgs<F, Name>): Promise<ResultOf<F, Name>>;
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, ...args: RawInvokeArgs<F, Name>): Promise<RawResult<ResultOf<F, Name>>>;
