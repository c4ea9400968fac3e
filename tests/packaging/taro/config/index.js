// Taro's generated config (React, webpack 5, weapp), trimmed to what a build needs, plus the one
// line cloudbase-fn asks for: copy its wasm to where its mini-program entry looks by default.
const { defineConfig } = require("@tarojs/cli");

module.exports = defineConfig({
  projectName: "cloudbase-fn-taro",
  date: "2026-11-27",
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: "src",
  outputRoot: "dist",
  plugins: [],
  defineConstants: {},
  copy: {
    patterns: [
      // cloudbase-fn: the wasm, once, where cloudbase-fn/miniprogram loads it by default.
      { from: "node_modules/cloudbase-fn/miniprogram_dist/cloudbase_fn_bg.wasm.br", to: "dist/miniprogram_npm/cloudbase-fn/cloudbase_fn_bg.wasm.br" },
    ],
    options: {},
  },
  framework: "react",
  compiler: "webpack5",
  cache: { enable: false },
  mini: {
    postcss: { pxtransform: { enable: false }, cssModules: { enable: false } },
  },
});
