// Run by node.test.mjs from inside the consumer project: the package loaded with require().
const sdk = require("cloudbase-fn");
const callAll = require("./calls-run.cjs");

const entry = require.resolve("cloudbase-fn").split("/").pop();
callAll(sdk).then((out) => console.log(JSON.stringify({ entry, ...out })));
