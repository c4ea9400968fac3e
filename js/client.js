// createClient and invoke: read the options, ask the core to check them and to prepare the call,
// then run the loop the core dictates (send, then retry after its delay, refresh the token once,
// or throw the error it describes).
import { binding } from "./binding.js";
import { attempt, sleep, ABORTED, EVENTS, NO_RETRY_POLICY, TIMEOUT } from "./attempt.js";
import { readHooks, mergeHooks, beforeRetry, HOOKS_TIMED_OUT } from "./hooks.js";
import { readEvents } from "./stream.js";
import { raise } from "./raise.js";
import { CloudBaseError } from "./errors.js";
import { TokenCache } from "./token.js";
import { encodeBody, invalid, optional, packHeaders, readSignal, reading, retryArguments, utf8Length } from "./options.js";

function readClientOptions(options) {
  if (options === null || typeof options !== "object") throw invalid("createClient expects an options object with envId or baseUrl");
  const { envId, baseUrl, intl, accessToken, credentials, allowSecretKeyInBrowser, timeoutMs, maxPayloadBytes, fetch, headers, retry, hooks } = options;
  const token = accessToken === null ? undefined : accessToken;
  if (token !== undefined && typeof token !== "string" && typeof token !== "function") {
    throw invalid("accessToken must be a string or a function returning one");
  }
  let secret;
  if (credentials !== undefined) {
    if (token !== undefined) throw invalid("give accessToken or credentials, not both");
    if (credentials === null || typeof credentials !== "object") throw invalid("credentials needs secretId and secretKey");
    const { secretId, secretKey, sessionToken } = credentials;
    secret = [
      optional(secretId, "string", "credentials.secretId"),
      optional(secretKey, "string", "credentials.secretKey"),
      optional(sessionToken, "string", "credentials.sessionToken"),
    ];
  }
  return {
    envId: optional(envId, "string", "envId"),
    baseUrl: optional(baseUrl, "string", "baseUrl"),
    intl: optional(intl, "boolean", "intl") === true,
    maxPayloadBytes: optional(maxPayloadBytes, "number", "maxPayloadBytes"),
    token,
    secret,
    allowSecret: allowSecretKeyInBrowser === true,
    timeoutMs: optional(timeoutMs, "number", "timeoutMs"),
    fetch: optional(fetch, "function", "fetch"),
    headers: packHeaders(headers),
    retry: retryArguments(retry),
    hooks: readHooks(hooks, ""),
  };
}

export class Client {
  /** Checks the options; throws InvalidArgumentError before anything is sent. */
  constructor(options) {
    const core = binding.core;
    const o = reading("the client options", () => readClientOptions(options));
    const config = JSON.parse(core.configureClient(o.envId, o.baseUrl, o.intl, o.timeoutMs, o.maxPayloadBytes, ...o.retry,
      o.headers[0], o.headers[1], typeof o.token === "string" ? o.token : undefined));
    if (config.name) throw raise(config);
    if (o.secret) {
      const refused = core.checkCredentials(...o.secret, typeof document !== "undefined", o.allowSecret);
      if (refused) throw raise(refused);
    }
    this._base = config.base;
    this._timeoutMs = config.timeoutMs;
    this._maxPayloadBytes = config.maxPayloadBytes;
    this._policy = config.policy;
    this._headers = config.headers;
    this._bearer = config.bearer;
    this._fetch = o.fetch;
    this._tokens = typeof o.token === "function" ? new TokenCache(o.token) : undefined;
    this._secrets = [typeof o.token === "string" ? o.token : "", o.secret?.[2] ?? ""].join("\n");
    this._signer = o.secret;
    this._hooks = o.hooks;
  }

  /** Invokes the cloud function `name` with `data`; every failure is a CloudBaseError rejection. */
  invoke(name, data, options) {
    return invoke(this, name, data, options);
  }

  /**
   * The server-sent events a function streams, as an async iterator of `{ event, data, id }`; the
   * call is sent when iteration starts, and leaving the loop early closes the stream.
   */
  events(name, data, options) {
    return eventsOf(this, name, data, options);
  }

  /** Kept for compatibility: a client holds no wasm memory, so there is nothing to release. */
  free() {}
}

function readCallOptions(options) {
  if (typeof options !== "object") throw invalid("invoke options must be an object");
  const { qualifier, webfn, raw, timeoutMs, signal, headers, retry, hooks, stream } = options;
  const call = {
    raw: optional(raw, "boolean", "raw") === true,
    stream: optional(stream, "boolean", "stream") === true,
    signal: readSignal(signal),
    hooks: readHooks(hooks, "invoke options: "),
    config: undefined,
  };
  optional(qualifier, "string", "qualifier");
  optional(webfn, "boolean", "webfn");
  optional(timeoutMs, "number", "timeoutMs");
  if (qualifier !== undefined || webfn || timeoutMs !== undefined || headers !== undefined || retry !== undefined) {
    const [packed, count] = packHeaders(headers);
    const config = JSON.parse(binding.core.configureCall(qualifier, webfn === true, timeoutMs, retry !== undefined, ...retryArguments(retry),
      packed, count));
    if (config.name) throw raise(config);
    call.config = config;
  }
  return call;
}

/** A shared token provider's error, as this call's: with the attempts it made before the token failed. */
function withAttempts(error, attempts) {
  return new error.constructor(error.message, { ...error.toJSON(), attempts, cause: error.cause });
}

async function* eventsOf(client, name, data, options) {
  yield* readEvents(await invoke(client, name, data, options, EVENTS));
}

async function invoke(client, name, data, options, mode) {
  const core = binding.core;
  if (typeof name !== "string") throw invalid("the function name must be a string");
  const opts = options === undefined || options === null ? undefined : reading("the invoke options", () => readCallOptions(options));
  const body = encodeBody(data);
  const limit = client._maxPayloadBytes;
  let url = core.prepare(client._base, name, body.charCodeAt(0), body.length, limit);
  if (url === "") url = core.prepare(client._base, name, 123, body.length, limit, utf8Length(body)); // the core asked for the byte count
  if (url.charCodeAt(0) === 123) throw raise(url);
  const signal = opts?.signal;
  const config = opts?.config;
  const timeoutMs = config?.timeoutMs ?? client._timeoutMs;
  const policy = config?.policy ?? client._policy;
  const aborted = (retries) => raise(core.transportFailed(ABORTED, url, timeoutMs, undefined, undefined, false, retries, ...policy, 0), signal.reason);
  if (signal?.aborted) throw aborted(0);
  const fetch = client._fetch ?? globalThis.fetch;
  if (typeof fetch !== "function") throw invalid("no fetch in this runtime: pass the fetch option");
  // wx.request, or any fetch where there is no ReadableStream to hand a body over in.
  if ((mode ?? opts?.stream) && (fetch.cannotStream === true || typeof ReadableStream !== "function")) {
    throw invalid("this runtime cannot stream: no stream or events here");
  }
  const headers = config ? { ...client._headers, ...config.headers } : client._headers;
  const tokens = client._tokens;
  const signer = client._signer;
  const hooks = mergeHooks(client._hooks, opts?.hooks);
  const call = {
    // sent: requests sent, a token refresh's included (the hooks' `attempt`); attempted: attempts of
    // the budget that reached fetch (an error's `attempts`, as the core counts them).
    name, url, body, signal, timeoutMs, policy, fetch, hooks, sent: 0, attempted: 0,
    raw: mode === undefined && opts?.raw, stream: mode ?? opts?.stream,
    force: false, refreshed: false, token: undefined,
    /** The headers of the next attempt, or a promise of them while a provider's token is awaited. */
    headersFor(until) {
      if (tokens) {
        const withToken = (token) => {
          call.token = token;
          call.force = false;
          return { ...headers, authorization: client._bearer + token };
        };
        const pending = tokens.get(call.force);
        if (typeof pending === "string") return withToken(pending);
        return until(pending).then(withToken, (stopped) => {
          // The wait ended without a token (this call's timer or signal, or the provider failed):
          // a provider that hangs must not hold the calls after it, so the next one asks again.
          tokens.abandon(pending);
          throw stopped instanceof CloudBaseError && call.attempted > 0 ? withAttempts(stopped, call.attempted) : stopped;
        });
      }
      if (signer) return { ...headers, authorization: core.sign(url, body, signer[0], signer[1], signer[2], Date.now()) };
      return headers;
    },
    secrets: () => (call.token === undefined ? client._secrets : call.token),
    canRefresh: () => tokens !== undefined && !call.refreshed,
  };
  for (let retries = 0; ; ) {
    const result = await attempt(call, retries);
    if (result.decision === undefined) {
      if (call.raw) result.value.attempts = retries + 1;
      return result.value;
    }
    const decision = JSON.parse(result.decision);
    if (decision.next === -1) throw raise(decision, result.cause);
    if (hooks?.beforeRetry.length) {
      const settled = await beforeRetry(hooks.beforeRetry, call, call.sent + 1, raise(decision, result.cause), Math.max(decision.next, 0));
      if (settled === HOOKS_TIMED_OUT) throw raise(core.transportFailed(TIMEOUT, url, timeoutMs, undefined, undefined, false, retries, ...NO_RETRY_POLICY, 0));
    }
    if (signal?.aborted) throw aborted(retries);
    if (decision.next === -2) {
      call.refreshed = call.force = true;
      continue;
    }
    await sleep(decision.next, signal);
    if (signal?.aborted) throw aborted(retries);
    retries++;
  }
}
