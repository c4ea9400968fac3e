// signInAnonymously: an anonymous CloudBase auth v2 session whose access token renews itself with
// its refresh token. The core makes the requests and reads the answers; this keeps the tokens and
// shares one sign-in or refresh among concurrent callers.
import { binding } from "./binding.js";
import { attempt, NO_RETRY_POLICY } from "./attempt.js";
import { raise } from "./raise.js";
import { invalid, optional, reading } from "./options.js";

class Session {
  constructor(base, deviceId, clientId, fetch) {
    Object.assign(this, { base, deviceId, clientId, fetch, access: undefined, refresh: undefined, freshUntil: 0, pending: undefined });
  }

  /** The access token: cached until it expires, renewed after that or when `force` is set. */
  token(force) {
    if (!force && this.access !== undefined && Date.now() < this.freshUntil) return Promise.resolve(this.access);
    if (!this.pending) {
      const pending = (this.pending = this.renew());
      const clear = () => {
        if (this.pending === pending) this.pending = undefined;
      };
      pending.then(clear, clear);
    }
    return this.pending;
  }

  /** Refresh when there is a refresh token, sign in otherwise; a refused refresh drops the session. */
  async renew() {
    const core = binding.core;
    const refreshing = this.refresh !== undefined;
    const request = JSON.parse(core.sessionRequest(this.base, this.deviceId, this.refresh, this.clientId));
    const fetch = this.fetch ?? globalThis.fetch;
    if (typeof fetch !== "function") throw invalid("no fetch in this runtime: pass the fetch option");
    const call = {
      url: request.url, body: request.body, timeoutMs: request.timeoutMs, policy: NO_RETRY_POLICY, fetch, raw: false,
      headersFor: () => request.headers,
      secrets: () => this.refresh ?? "",
      canRefresh: () => false,
    };
    const result = await attempt(call, 0);
    if (result.decision !== undefined) {
      if (refreshing) this.access = this.refresh = undefined;
      throw raise(core.authFailed(refreshing ? 2 : 1), raise(result.decision, result.cause));
    }
    const answer = result.value;
    const field = (key) => (answer !== null && typeof answer === "object" ? answer[key] : undefined);
    const access = field("access_token");
    const expiresIn = field("expires_in");
    const fresh = core.sessionAccept(typeof access === "string" ? access : undefined, typeof expiresIn === "number" ? expiresIn : undefined, Date.now());
    if (fresh.charCodeAt(0) === 123) throw raise(fresh); // not the answer as `cause`: it holds the refresh token
    this.access = access;
    this.freshUntil = Number(fresh);
    const next = field("refresh_token");
    if (typeof next === "string" && next) this.refresh = next;
    return access;
  }
}

/**
 * Signs in anonymously (CloudBase auth v2) and resolves to a token provider for `accessToken`
 * that renews itself with the refresh token. Rejects with AuthError when sign-in fails.
 */
export async function signInAnonymously(options) {
  const core = binding.core;
  const o = reading("the sign-in options", () => {
    if (options === null || typeof options !== "object") throw invalid("signInAnonymously expects an options object with envId or baseUrl");
    const { envId, baseUrl, intl, deviceId, clientId, fetch } = options;
    return {
      envId: optional(envId, "string", "envId"),
      baseUrl: optional(baseUrl, "string", "baseUrl"),
      intl: optional(intl, "boolean", "intl") === true,
      deviceId: optional(deviceId, "string", "deviceId"),
      clientId: optional(clientId, "string", "clientId"),
      fetch: optional(fetch, "function", "fetch"),
    };
  });
  const config = JSON.parse(core.configureClient(o.envId, o.baseUrl, o.intl, undefined, undefined, true, false, undefined, undefined, undefined, undefined, "", 0, undefined));
  if (config.name) throw raise(config);
  const deviceId = core.deviceId(o.deviceId, Math.random(), Math.random());
  if (deviceId.charCodeAt(0) === 123) throw raise(deviceId);
  const session = new Session(config.base, deviceId, o.clientId ?? o.envId, o.fetch);
  await session.token(false);
  return ({ forceRefresh = false } = {}) => session.token(forceRefresh === true);
}
