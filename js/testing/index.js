// cloudbase-fn/testing: a client for users' unit tests. It is the package's real Client (the same
// core, driver, validation, classification, typed errors, retries and timeouts), given an
// in-memory `fetch` (gateway.js) that answers from handlers the way the gateway would. It imports
// "cloudbase-fn" itself, which the build leaves external, so its error classes are the ones the
// user imports: `err instanceof FunctionNotFoundError` holds.
import { Client, InvalidArgumentError } from "cloudbase-fn";
import { Gateway } from "./gateway.js";

export { respondWith } from "./answers.js";

function readOptions(options = {}) {
  if (options === null || typeof options !== "object") throw new InvalidArgumentError("createTestClient expects an options object");
  let handlers, client;
  try {
    ({ handlers = {}, ...client } = options);
  } catch (cause) {
    throw new InvalidArgumentError("the test client options could not be read (a throwing getter or a revoked Proxy?)", { cause });
  }
  if (handlers === null || typeof handlers !== "object") {
    throw new InvalidArgumentError("handlers must be an object: function name -> handler, answer or value");
  }
  if (client.fetch !== undefined) throw new InvalidArgumentError("createTestClient answers from its handlers: it takes no fetch");
  // Any valid environment will do when nothing leaves the process.
  if (client.envId === undefined && client.baseUrl === undefined) client.envId = "test-env";
  return { handlers, client };
}

export class TestClient extends Client {
  #gateway;

  /** Checks the options as createClient does; throws InvalidArgumentError before anything is sent. */
  constructor(options) {
    const { handlers, client } = readOptions(options);
    const gateway = new Gateway(handlers);
    const fetch = (url, init) => gateway.fetch(url, init, 1);
    super({ ...client, fetch });
    // invoke() below swaps the client's transport per call; fail loudly if that field moved.
    if (this._fetch !== fetch) throw new Error("cloudbase-fn/testing does not match this cloudbase-fn: use the entry of the same package");
    this.#gateway = gateway;
  }

  /** What reached the gateway, one entry per attempt, oldest first (the same array throughout). */
  get calls() {
    return this.#gateway.calls;
  }

  /** The handlers given (the same object): add, replace or delete entries between calls. */
  get handlers() {
    return this.#gateway.handlers;
  }

  /** Forgets the calls so far and restarts the request ids. */
  reset() {
    this.#gateway.reset();
  }

  invoke(name, data, options) {
    // The client reads its transport once per call, synchronously, before the first attempt. A
    // fetch bound to this call lets the gateway number its attempts, which a gateway cannot tell.
    return this.#perCall(() => super.invoke(name, data, options));
  }

  async *events(name, data, options) {
    // The client's events() is a generator: its call (and so its read of the transport) starts
    // with the first next(), which runs it synchronously up to its first await. That next() is
    // taken here, under this call's own fetch, so each events() numbers its attempts from 1.
    const inner = super.events(name, data, options);
    const first = this.#perCall(() => inner.next());
    let finished = false;
    try {
      const { value, done } = await first;
      if (done) {
        finished = true;
        return value;
      }
      yield value;
      const rest = yield* inner;
      finished = true;
      return rest;
    } finally {
      // Leaving the loop at the first event (yield* forwards later exits itself) closes the stream.
      if (!finished) await inner.return();
    }
  }

  /** `start()` with this client's transport bound to one call, whose attempts it numbers from 1. */
  #perCall(start) {
    const previous = this._fetch;
    this._fetch = this.#gateway.fetchFor({ n: 0 });
    try {
      return start();
    } finally {
      this._fetch = previous;
    }
  }
}

/** A client whose calls are answered by `options.handlers`; every other option is createClient's. */
export function createTestClient(options) {
  return new TestClient(options);
}
