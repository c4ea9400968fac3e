import { readFileSync } from "node:fs";
import { defineConfig } from "vite";
import uni from "@dcloudio/vite-plugin-uni";

export default defineConfig({
  plugins: [
    uni(),
    // cloudbase-fn: the wasm, once, where cloudbase-fn/miniprogram loads it by default (uni-app has no copy option for node_modules files).
    { name: "cloudbase-fn-wasm", generateBundle() { this.emitFile({ type: "asset", fileName: "miniprogram_npm/cloudbase-fn/cloudbase_fn_bg.wasm.br", source: readFileSync("node_modules/cloudbase-fn/miniprogram_dist/cloudbase_fn_bg.wasm.br") }); } },
  ],
});
