// Run by node.test.mjs from inside the consumer project: the package loaded as an ES module.
import * as sdk from "cloudbase-fn";
import callAll from "./calls-run.cjs";

const entry = import.meta.resolve("cloudbase-fn").split("/").pop();
console.log(JSON.stringify({ entry, ...(await callAll(sdk)) }));
