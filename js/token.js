// A token provider's answers, cached until the time the core gives (the JWT's expiry less a
// margin) and shared by concurrent calls: one provider call, however many invocations wait.
import { binding } from "./binding.js";
import { raise } from "./raise.js";

export class TokenCache {
  constructor(provider) {
    this.provider = provider;
    this.token = undefined;
    this.freshUntil = 0;
    this.pending = undefined;
    this.pendingForced = false;
    this.asked = 0; // provider calls made, numbering them
    this.stored = 0; // the number of the provider call whose token is cached
  }

  /** A caller stopped waiting for `pending` (its timer or signal): the next `get` asks the provider again. */
  abandon(pending) {
    if (this.pending === pending) this.pending = undefined;
  }

  /** The token for the next attempt (a string when cached, else a promise); `force` skips the cache. */
  get(force) {
    if (!force && this.token !== undefined && Date.now() < this.freshUntil) return this.token;
    if (this.pending && (this.pendingForced || !force)) return this.pending;
    let answer;
    try {
      answer = Promise.resolve(this.provider({ forceRefresh: force }));
    } catch (e) {
      answer = Promise.reject(e);
    }
    const core = binding.core;
    const asked = ++this.asked;
    const pending = answer.then(
      (value) => {
        const accepted = core.acceptToken(typeof value === "string" ? value : undefined);
        if (accepted.charCodeAt(0) === 123) throw raise(accepted);
        // An abandoned provider call that answers late never replaces a newer token.
        if (asked > this.stored) {
          this.stored = asked;
          this.token = value;
          this.freshUntil = Number(accepted);
        }
        return value;
      },
      (cause) => {
        throw raise(core.authFailed(0), cause);
      },
    );
    const clear = () => {
      if (this.pending === pending) this.pending = undefined;
    };
    pending.then(clear, clear);
    this.pending = pending;
    this.pendingForced = force;
    return pending;
  }
}
