// Types of cloudbase-fn. Hand-written: the options and errors are the public contract.

export interface RetryOptions {
  /** Retries after the first attempt (default 2; 0 = none). */
  attempts?: number;
  /** Backoff base in ms (default 200); the n-th wait is uniform in [0, min(maxDelayMs, base * 2^n)]. */
  baseDelayMs?: number;
  /** Longest wait in ms (default 5000); a longer Retry-After ends the retries. */
  maxDelayMs?: number;
  /** Also retry network errors and timeouts, where the function may already have run (default false). */
  onNetworkError?: boolean;
}

export type AccessTokenProvider = (options: { forceRefresh: boolean }) => string | Promise<string>;

export interface ClientOptions {
  /** CloudBase environment id: calls go to https://{envId}.api.tcloudbasegateway.com */
  envId?: string;
  /** Replaces the envId host (emulator, private gateway). https, or http for loopback only. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>`: a string, or a function returning one. */
  accessToken?: string | AccessTokenProvider;
  /** Per attempt, in ms (default 60000; 0 = none). */
  timeoutMs?: number;
  /** A transport with the signature of fetch (default: the global fetch). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** Retry policy (default: 2 retries on FUNCTION_EXCEED_RESOURCE_LIMIT, 429, 503); false = off. */
  retry?: RetryOptions | false;
  /**
   * Server-side only (Node, Workers): sign every attempt with TC3-HMAC-SHA256 instead of a Bearer
   * token. Refused in a browser unless `allowSecretKeyInBrowser` is set; not in the browser build.
   */
  credentials?: SecretCredentials;
  /** Accept `credentials` in a browser-like runtime (only for pages that are not public). */
  allowSecretKeyInBrowser?: boolean;
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

export interface Client {
  invoke<T = FunctionResult>(name: string, data?: Record<string, unknown>, options?: InvokeOptions & { raw?: false }): Promise<T>;
  invoke<T = FunctionResult>(name: string, data: Record<string, unknown> | undefined, options: InvokeOptions & { raw: true }): Promise<RawResult<T>>;
  /** Releases the client's wasm memory now rather than at garbage collection. */
  free(): void;
}

export declare function createClient(options: ClientOptions): Client;

export interface SignInOptions {
  envId?: string;
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

export interface CloudBaseErrorOptions {
  code?: string;
  status?: number;
  requestId?: string;
  body?: string;
  cause?: unknown;
  retryable?: boolean;
  attempts?: number;
}

/** Base class of every error cloudbase-fn raises. */
export declare class CloudBaseError extends Error {
  constructor(message: string, options?: CloudBaseErrorOptions);
  /** A contract code (FUNCTION_NOT_FOUND, ...), an unknown gateway code kept as is, or one of the SDK's. */
  readonly code: string;
  /** HTTP status, or undefined when no response came. */
  readonly status: number | undefined;
  /** From the error body or the X-Request-Id header. */
  readonly requestId: string | undefined;
  /** Whether trying again could succeed without the function running twice. */
  readonly retryable: boolean;
  /** Attempts made, when the call was sent. */
  readonly attempts?: number;
  readonly cause?: unknown;
  toJSON(): Record<string, unknown>;
}
export declare class FunctionNotFoundError extends CloudBaseError {}
export declare class FunctionQualifierNotFoundError extends CloudBaseError {}
export declare class FunctionInvocationFailedError extends CloudBaseError {}
export declare class FunctionParamInvalidError extends CloudBaseError {}
export declare class FunctionExceedResourceLimitError extends CloudBaseError {}
export declare class FunctionStatusAbnormalError extends CloudBaseError {}
export declare class FunctionTimeLimitExceededError extends CloudBaseError {}
export declare class FunctionMemoryLimitExceededError extends CloudBaseError {}
export declare class ExceedAuthorityError extends CloudBaseError {}
export declare class ActionForbiddenError extends CloudBaseError {}
export declare class InvalidHostError extends CloudBaseError {}
/** No response: connection refused or dropped, DNS, CORS. */
export declare class NetworkError extends CloudBaseError {}
/** No complete response within timeoutMs. */
export declare class TimeoutError extends CloudBaseError {}
/** The caller's signal aborted the call; its reason is the cause. */
export declare class AbortError extends CloudBaseError {}
/** A non-2xx answer whose body is not CloudBase's error JSON. */
export declare class HttpError extends CloudBaseError {
  /** The first 1024 characters of the body. */
  readonly body: string;
}
/** A 2xx answer that says JSON but does not parse. */
export declare class InvalidResponseError extends CloudBaseError {}
/** Bad input, caught before any request. */
export declare class InvalidArgumentError extends CloudBaseError {}
/** The access token provider failed or returned no usable token. */
export declare class AuthError extends CloudBaseError {}
