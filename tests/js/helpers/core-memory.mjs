// The core's wasm memory, captured as the package instantiates its module (the package exposes
// nothing of its internals). Importing this module wraps WebAssembly.Instance, so import it before
// the package is imported.
let memory;
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new NativeInstance(module, imports);
  if (instance.exports.memory instanceof WebAssembly.Memory && typeof instance.exports.call === "function") memory ??= instance.exports.memory;
  return instance;
};

/** The memory of the first core instantiated in this process (undefined until then). */
export const coreMemory = () => memory;
