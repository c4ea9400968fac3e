// The wasm Client class of the build the entry point loaded: the web build (browsers, bundlers,
// mini-programs) or the server build (Node, Workers, with TC3 signing). Entries set it once the
// wasm is instantiated; api.js reads it.
export const binding = { Client: undefined, AnonymousSession: undefined };
