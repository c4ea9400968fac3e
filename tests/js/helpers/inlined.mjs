// Finding the wasm the package inlines (scripts/lib/inline-wasm.mjs) in any bundler's output: a
// string of one char per byte however it was printed ("\0asm…", "\x00asm…", a template literal
// with raw control characters), or base64 ("AGFzbQEAAAA…", the module's first 8 bytes).
import { readFileSync } from "node:fs";

/** Matches the opening of a JS string or template literal that holds a wasm module. */
export const INLINED_WASM = /(["'`])(?:(?:\\0|\\x00|\\u0000|\x00)asm|AGFzbQEAAAA)/;

/** Where each inlined module's literal is in `source`: [start, end], its quotes included. */
export function inlinedSpans(source) {
  return [...source.matchAll(new RegExp(INLINED_WASM, "g"))].map((m) => {
    let end = m.index + 1;
    while (end < source.length && source[end] !== m[1]) end += source[end] === "\\" ? 2 : 1;
    return [m.index, end + 1];
  });
}

/** The bytes of every wasm module inlined in `source` (a JS file's text). */
export function inlinedModules(source) {
  return inlinedSpans(source).map(([start, end]) => {
    const text = new Function(`return ${source.slice(start, end)}`)();
    return Buffer.from(text, text.startsWith("AGFzbQ") ? "base64" : "latin1");
  });
}

/** Whether the JS file at `path` inlines a wasm module. */
export const inlinesWasm = (path) => INLINED_WASM.test(readFileSync(path, "utf8"));

// `node tests/js/helpers/inlined.mjs FILE` exits 0 when FILE inlines a wasm module (scripts/size.sh).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()) && process.argv[2]) {
  process.exit(inlinesWasm(process.argv[2]) ? 0 : 1);
}
