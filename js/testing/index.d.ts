// Types of cloudbase-fn/testing (hand-written). The client types come from "cloudbase-fn" itself,
// so a test client is typed as the client it stands in for.
import type { Client, ClientOptions } from "cloudbase-fn";

/** One request that reached the in-memory gateway: one per attempt, so a retried call has several. */
export interface TestCall {
  /** The function name from the URL. */
  name: string;
  /** The JSON body as the function receives it (`{}` when no data was given). */
  data: Record<string, any>;
  /** Request headers, names lowercased; `authorization` keeps only its scheme: "Bearer [redacted]". */
  headers: Record<string, string>;
  /** X-Qualifier, or undefined. */
  qualifier: string | undefined;
  /** Whether X-Tcb-Webfn: true was sent. */
  webfn: boolean;
  /** 1 for the first attempt of an invoke() (or events()), 2 for its first retry, … */
  attempt: number;
  /** The X-Request-Id (and error `requestId`) of the answer: 00000000-0000-4000-8000-000000000001, … */
  requestId: string;
}

/** The second argument of a handler. */
export interface HandlerContext {
  requestId: string;
  functionName: string;
  qualifier: string | undefined;
  webfn: boolean;
  /** The request headers, names lowercased, credential included (a test may check it). */
  headers: Record<string, string>;
  /** Which attempt of the invoke() (or events()) this is, from 1. */
  attempt: number;
  /** Aborts when the client gives up on this attempt (its timeout or the caller's signal). */
  signal: AbortSignal | undefined;
}

declare const answer: unique symbol;
/** What a respondWith helper returns: a handler may return it, or stand for a handler. */
export interface TestAnswer {
  readonly [answer]: string;
}

/**
 * A function's stand-in. Its return value is the answer: a string is text/plain, bytes
 * (Uint8Array, ArrayBuffer) are application/octet-stream, a TestAnswer is that answer, anything
 * else is JSON (undefined: null). A throw (or rejection) is FUNCTION_INVOCATION_FAILED.
 */
export type Handler = (data: Record<string, any>, context: HandlerContext) => unknown;

/** A fixed answer, as a handler would return it. */
export type FixedValue = string | number | boolean | null | object;

/** By function name: "name" (no qualifier, or $LATEST), "name@2" (X-Qualifier: 2); a handler, an answer, or a fixed value. */
export type Handlers = Record<string, Handler | TestAnswer | FixedValue>;

export interface TestClientOptions extends Omit<ClientOptions, "fetch"> {
  handlers?: Handlers | undefined;
  /** The test client is its own transport (undefined, as absent, is accepted). */
  fetch?: undefined;
}

/** The test client: a `Client` (`createClient`'s API) answered in memory. */
export interface TestClient extends Client {
  /** Every request that reached the gateway, oldest first (the same array throughout). */
  readonly calls: TestCall[];
  /** The handlers given (the same object): entries may be added or replaced between calls. */
  readonly handlers: Handlers;
  /** Empties `calls` and restarts the request ids. */
  reset(): void;
}

/** The class of test clients (`x instanceof TestClient`); a subclass of cloudbase-fn's `Client`. */
export declare const TestClient: {
  new (options?: TestClientOptions): TestClient;
  readonly prototype: TestClient;
};

/** A client with createClient's API whose calls are answered in memory by `options.handlers`. */
export declare function createTestClient(options?: TestClientOptions): TestClient;

export interface ErrorAnswerOptions {
  message?: string | undefined;
  /** Instead of the status the gateway uses for the code. */
  status?: number | undefined;
  headers?: Record<string, string> | undefined;
}

export interface StatusAnswerOptions {
  /** Instead of the type the body implies; null sends none. */
  contentType?: string | null | undefined;
  headers?: Record<string, string> | undefined;
}

export declare const respondWith: {
  /** The gateway's error JSON for `code` with the gateway's status for it (500 for a code it does not list). */
  error(code: string, options?: string | ErrorAnswerOptions): TestAnswer;
  /** Any status from 200 to 599 with no body, a string, bytes, or a JSON value. */
  status(status: number, body?: unknown, options?: StatusAnswerOptions): TestAnswer;
  /** `value` (or another answer) after `ms`; the client's timeout or signal ends the wait. */
  delay(ms: number, value?: unknown): TestAnswer;
  /** Never answers; the client's timeout or signal ends the call. */
  hang(): TestAnswer;
  text(text: string): TestAnswer;
  bytes(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, contentType?: string): TestAnswer;
  /** Any JSON value as application/json (a string included). */
  json(value: unknown): TestAnswer;
  /** The transport fails as fetch does for a refused connection: a NetworkError. */
  networkError(message?: string): TestAnswer;
};
