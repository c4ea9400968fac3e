// The core's operations over the wire (src/boundary/wire.rs): the arguments are written as typed
// records into the core's input buffer, one call runs the operation, and a text answer is read
// back from the core's memory where its slot says, at once: the next operation reuses that memory
// (wasm/src/allocator.rs). One crossing per operation; no other JS runs in between, so nothing the
// caller controls can throw inside it.
import { ops } from "./ops.js";

const ABSENT = 0, TEXT = 1, NUMBER = 2, TRUE = 3;
const NUMERIC = new Set(["readFor"]); // operations that answer a number instead of a text

/** The core's operations as functions, over the wasm exports `input`, `slot`, `call` and `memory`. */
export function connect(exports) {
  const { memory } = exports;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const slot = exports.slot();
  let address = 0, capacity = 0, bytes, view;
  const views = () => {
    if (bytes === undefined || bytes.buffer !== memory.buffer) {
      bytes = new Uint8Array(memory.buffer);
      view = new DataView(memory.buffer);
    }
  };
  const run = (op, args) => {
    let need = 0;
    for (const arg of args) need += typeof arg === "string" ? 5 + arg.length * 3 : 9;
    if (need > capacity) {
      capacity = Math.max(need, 2 * capacity, 4096);
      address = exports.input(capacity);
    }
    views();
    let at = address;
    for (const arg of args) {
      if (typeof arg === "string") {
        const { written } = encoder.encodeInto(arg, bytes.subarray(at + 5, at + 5 + arg.length * 3));
        bytes[at] = TEXT;
        view.setUint32(at + 1, written, true);
        at += 5 + written;
      } else if (typeof arg === "number") {
        bytes[at] = NUMBER;
        view.setFloat64(at + 1, arg, true);
        at += 9;
      } else {
        bytes[at++] = arg === true ? TRUE : ABSENT;
      }
    }
    return exports.call(op, at - address);
  };
  const text = (op, args) => {
    const length = run(op, args);
    views();
    const at = view.getUint32(slot, true);
    return decoder.decode(bytes.subarray(at, at + length));
  };
  const core = {};
  ops.forEach((name, op) => {
    core[name] = NUMERIC.has(name) ? (...args) => run(op, args) : (...args) => text(op, args);
  });
  return core;
}
