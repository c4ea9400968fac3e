// Types of cloudbase-fn: the options, hand-written here; the build appends the error classes
// generated from the Rust error table (tools/codegen errors-dts).

export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 = no retry; at most 10). */
  maxAttempts?: number | undefined;
  /** Renamed `maxAttempts` (which counts the first attempt too): refused with an InvalidArgumentError. */
  attempts?: undefined;
  /** Backoff base in ms (default 200); the n-th wait is uniform in [0, min(maxDelayMs, base * 2^n)]. */
  baseDelayMs?: number | undefined;
  /** Longest wait in ms (default 5000); a longer Retry-After (seconds or an HTTP date) ends the retries. */
  maxDelayMs?: number | undefined;
  /** Also retry network errors and timeouts, where the function may already have run (default false). */
  onNetworkError?: boolean | undefined;
}

export type AccessTokenProvider = (options: { forceRefresh: boolean }) => string | Promise<string>;

export interface ClientOptions {
  /** CloudBase environment id: calls go to https://{envId}.api.tcloudbasegateway.com */
  envId?: string | undefined;
  /** An international environment: calls go to https://{envId}.api.intl.tcloudbasegateway.com */
  intl?: boolean | undefined;
  /** Replaces the envId host (emulator, private gateway). https, or http for loopback only. */
  baseUrl?: string | undefined;
  /** Sent as `Authorization: Bearer <token>`: a string, or a function returning one. */
  accessToken?: string | AccessTokenProvider | undefined;
  /** Per attempt, in ms (default 60000; 0 = none); also bounds the wait for a token provider. */
  timeoutMs?: number | undefined;
  /** Largest JSON body sent, in UTF-8 bytes (default 6291456 = 6 MiB, the gateway's limit; 0 = none). */
  maxPayloadBytes?: number | undefined;
  /** A transport with the signature of fetch (default: the global fetch). */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Extra headers on every call. */
  headers?: Record<string, string> | undefined;
  /** Retry policy (default: 3 attempts on EXCEED_CONCURRENT_REQUEST_LIMIT, FUNCTION_EXCEED_RESOURCE_LIMIT, 503); false = off. */
  retry?: RetryOptions | false | undefined;
  /**
   * Server-side only (Node, Workers): sign every attempt with TC3-HMAC-SHA256 instead of a Bearer
   * token. Refused in a browser unless `allowSecretKeyInBrowser` is set; not in the browser build.
   */
  credentials?: SecretCredentials | undefined;
  /** Accept `credentials` in a browser-like runtime (only for pages that are not public). */
  allowSecretKeyInBrowser?: boolean | undefined;
  /** Observe every call and add headers; a call's own hooks run after these. */
  hooks?: Hooks | undefined;
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
  beforeRequest?: HookList<BeforeRequestContext> | undefined;
  afterResponse?: HookList<AfterResponseContext> | undefined;
  beforeRetry?: HookList<BeforeRetryContext> | undefined;
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
  sessionToken?: string | undefined;
}

export interface InvokeOptions {
  /** Function version or alias, sent as X-Qualifier. */
  qualifier?: string | undefined;
  /** Call a web function (sends X-Tcb-Webfn: true). */
  webfn?: boolean | undefined;
  /** Per attempt, in ms; overrides the client's. */
  timeoutMs?: number | undefined;
  /** Cancels the call; an already-aborted signal sends nothing. */
  signal?: AbortSignal | undefined;
  /** Extra headers for this call (override the client's of the same name). */
  headers?: Record<string, string> | undefined;
  /** Resolve to `{ data, status, requestId, headers, attempts }` instead of the data. */
  raw?: boolean | undefined;
  retry?: RetryOptions | false | undefined;
  /**
   * Resolve, once a 2xx head is in, to the body as a ReadableStream<Uint8Array>, unbuffered;
   * `timeoutMs` then also bounds each wait for the next chunk, and `signal` cancels the stream.
   */
  stream?: boolean | undefined;
  /** Hooks for this call, run after the client's. */
  hooks?: Hooks | undefined;
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

/**
 * What `data` may be: an object, whose JSON is the body (`undefined` sends `{}`). Interfaces and
 * object literals are accepted; arrays, tuples and other iterables (Map, Set, typed arrays) are
 * refused, as they are at run time (an InvalidArgumentError), and so are strings, numbers and null.
 */
export type InvokeData = { readonly [field: string]: any; readonly [Symbol.iterator]?: never };

/**
 * A client for one environment (`createClient(options)`, or `new Client(options)`). Options with
 * literal `raw` / `stream` pick the precise result; an `InvokeOptions` value whose flags are not
 * known resolves to the union of what the call may resolve to.
 */
export interface Client {
  invoke(name: string, data: InvokeData | undefined, options: InvokeOptions & { stream: true; raw?: false | undefined }): Promise<BodyStream>;
  invoke(name: string, data: InvokeData | undefined, options: InvokeOptions & { stream: true; raw: true }): Promise<RawResult<BodyStream>>;
  invoke<T = FunctionResult>(name: string, data?: InvokeData, options?: InvokeOptions & { raw?: false | undefined; stream?: false | undefined }): Promise<T>;
  invoke<T = FunctionResult>(name: string, data: InvokeData | undefined, options: InvokeOptions & { raw: true; stream?: false | undefined }): Promise<RawResult<T>>;
  invoke<T = FunctionResult>(name: string, data?: InvokeData, options?: InvokeOptions): Promise<T | RawResult<T> | BodyStream | RawResult<BodyStream>>;
  /**
   * The server-sent events function `name` streams. The call is sent when iteration starts; an
   * error answer rejects the first `next()` with its typed error; leaving the loop closes the stream.
   */
  events(name: string, data?: InvokeData, options?: EventsOptions): AsyncGenerator<ServerSentEvent, void, undefined>;
  /** Does nothing (kept for compatibility): a client holds no wasm memory. */
  free(): void;
}

/** The class of every client (`x instanceof Client`); `createClient` is the typed way to make one. */
export declare const Client: {
  new (options: ClientOptions): Client;
  readonly prototype: Client;
};

/**
 * Every error class by its name, `CloudBaseError` included (`classes.FunctionNotFoundError`): how
 * the SDK turns the error the core describes into its class.
 */
export declare const classes: { readonly [name: string]: typeof CloudBaseError };

/**
 * One function's types: the `data` it takes (an object: the body is its JSON; not an array, which
 * the runtime refuses) and the `result` it answers.
 */
export interface FunctionTypes<Data extends InvokeData = Record<string, unknown>, Result = unknown> {
  data: Data;
  result: Result;
}

/**
 * What `createClient<F>` accepts: an interface or type whose properties are function names, each
 * `{ data; result }`. Written as a check of F itself (`F extends FunctionMap<F>`) because an
 * interface, unlike a type literal, is not assignable to an index signature.
 */
export type FunctionMap<F = any> = { [Name in keyof F]: FunctionTypes<InvokeData, unknown> };

/** The `data` of function `Name` in map `F`. */
export type DataOf<F extends FunctionMap<F>, Name extends keyof F> = F[Name]["data"];
/** The `result` of function `Name` in map `F`: what `invoke` resolves to. */
export type ResultOf<F extends FunctionMap<F>, Name extends keyof F> = F[Name]["result"];

/**
 * The arguments of `invoke` after the name, for wrappers of a typed client: `data` may be left out
 * when `{}` is a valid value of it (every field optional, or a function typed loosely). `Options`
 * is the type of the options: by default those that resolve to the result; `InvokeOptions` for a
 * wrapper that forwards any options (the call then resolves to the union `AnyResultOf` names).
 */
export type InvokeArgs<F extends FunctionMap<F>, Name extends keyof F, Options extends InvokeOptions = InvokeOptions & { raw?: false | undefined; stream?: false | undefined }> = {} extends DataOf<F, Name>
  ? [data?: DataOf<F, Name> | undefined, options?: Options | undefined]
  : [data: DataOf<F, Name>, options?: Options | undefined];
/** The same with `{ raw: true }`, which resolves to a `RawResult`. */
export type RawInvokeArgs<F extends FunctionMap<F>, Name extends keyof F> = {} extends DataOf<F, Name>
  ? [data: DataOf<F, Name> | undefined, options: InvokeOptions & { raw: true; stream?: false | undefined }]
  : [data: DataOf<F, Name>, options: InvokeOptions & { raw: true; stream?: false | undefined }];
/** The arguments of `events` after the name. */
export type EventsArgs<F extends FunctionMap<F>, Name extends keyof F> = {} extends DataOf<F, Name>
  ? [data?: DataOf<F, Name> | undefined, options?: EventsOptions | undefined]
  : [data: DataOf<F, Name>, options?: EventsOptions | undefined];
/**
 * What a call of function `Name` resolves to when its `raw` and `stream` are not known (an
 * `InvokeOptions` value): the result, the raw result, the body stream, or the raw body stream.
 */
export type AnyResultOf<F extends FunctionMap<F>, Name extends keyof F> =
  | ResultOf<F, Name>
  | RawResult<ResultOf<F, Name>>
  | BodyStream
  | RawResult<BodyStream>;

/** A client typed by a function map (`createClient<F>`): only F's names, each with its own data and result. */
export interface TypedClient<F extends FunctionMap<F>> {
  invoke<Name extends keyof F & string>(name: Name, data: DataOf<F, Name> | undefined, options: InvokeOptions & { stream: true; raw?: false | undefined }): Promise<BodyStream>;
  invoke<Name extends keyof F & string>(name: Name, data: DataOf<F, Name> | undefined, options: InvokeOptions & { stream: true; raw: true }): Promise<RawResult<BodyStream>>;
  invoke<Name extends keyof F & string>(name: Name, ...args: InvokeArgs<F, Name>): Promise<ResultOf<F, Name>>;
  invoke<Name extends keyof F & string>(name: Name, ...args: RawInvokeArgs<F, Name>): Promise<RawResult<ResultOf<F, Name>>>;
  invoke<Name extends keyof F & string>(name: Name, ...args: InvokeArgs<F, Name, InvokeOptions>): Promise<AnyResultOf<F, Name>>;
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
  envId?: string | undefined;
  intl?: boolean | undefined;
  baseUrl?: string | undefined;
  /** Sent as x-device-id (16 to 48 letters, digits or '-'); one anonymous user per device. Default: random. */
  deviceId?: string | undefined;
  /** Auth client id (default: the envId). */
  clientId?: string | undefined;
  fetch?: ClientOptions["fetch"];
}

/**
 * Signs in anonymously (CloudBase auth v2: POST /auth/v1/signin/anonymously) and resolves to a
 * provider for `accessToken` that caches the access token until it expires and refreshes it with
 * the refresh token (POST /auth/v1/token). Rejects with AuthError when sign-in fails. The provider
 * may also be called directly: `await provider()` is the current token, `{ forceRefresh: true }` a
 * new one.
 */
export declare function signInAnonymously(options: SignInOptions): Promise<(options?: { forceRefresh?: boolean | undefined }) => Promise<string>>;

/** The one-shot form of `Client.invoke`: `invoke(options, name, data, invokeOptions)`, with the same overloads. */
export declare function invoke(options: ClientOptions, name: string, data: InvokeData | undefined, invokeOptions: InvokeOptions & { stream: true; raw?: false | undefined }): Promise<BodyStream>;
export declare function invoke(options: ClientOptions, name: string, data: InvokeData | undefined, invokeOptions: InvokeOptions & { stream: true; raw: true }): Promise<RawResult<BodyStream>>;
export declare function invoke<T = FunctionResult>(options: ClientOptions, name: string, data?: InvokeData, invokeOptions?: InvokeOptions & { raw?: false | undefined; stream?: false | undefined }): Promise<T>;
export declare function invoke<T = FunctionResult>(options: ClientOptions, name: string, data: InvokeData | undefined, invokeOptions: InvokeOptions & { raw: true; stream?: false | undefined }): Promise<RawResult<T>>;
export declare function invoke<T = FunctionResult>(options: ClientOptions, name: string, data?: InvokeData, invokeOptions?: InvokeOptions): Promise<T | RawResult<T> | BodyStream | RawResult<BodyStream>>;
// Typed one-shot form: `invoke<Functions, "echo">(options, "echo", data)`. Both type arguments are
// needed (TypeScript infers none once one is given), and the count keeps it apart from `invoke<T>`.
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, data: DataOf<F, Name> | undefined, invokeOptions: InvokeOptions & { stream: true; raw?: false | undefined }): Promise<BodyStream>;
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, data: DataOf<F, Name> | undefined, invokeOptions: InvokeOptions & { stream: true; raw: true }): Promise<RawResult<BodyStream>>;
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, ...args: InvokeArgs<F, Name>): Promise<ResultOf<F, Name>>;
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, ...args: RawInvokeArgs<F, Name>): Promise<RawResult<ResultOf<F, Name>>>;
export declare function invoke<F extends FunctionMap<F>, Name extends keyof F & string>(options: ClientOptions, name: Name, ...args: InvokeArgs<F, Name, InvokeOptions>): Promise<AnyResultOf<F, Name>>;
