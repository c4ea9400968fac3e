// Run by deno-bun.test.mjs from inside the consumer project under Deno and Bun: the package loaded
// as an ES module, the emulator's URL as the first argument (Deno runs without --allow-env).
import * as sdk from "cloudbase-fn";
import callAll from "./calls-run.cjs";

const url = typeof Deno === "undefined" ? process.argv[2] : Deno.args[0];
const entry = import.meta.resolve("cloudbase-fn").split("/").pop();
console.log(JSON.stringify({ entry, ...(await callAll(sdk, url)) }));
