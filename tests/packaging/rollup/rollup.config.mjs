// Rollup with @rollup/plugin-node-resolve and nothing else (no wasm or URL plugin).
import { nodeResolve } from "@rollup/plugin-node-resolve";

export default {
  input: "src/app.js",
  output: { dir: "dist", format: "es" },
  plugins: [nodeResolve()],
};
