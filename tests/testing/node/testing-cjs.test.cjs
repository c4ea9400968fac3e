// node:test, CommonJS: require("cloudbase-fn/testing") gets testing.cjs, which requires the same
// "cloudbase-fn" (node.cjs) as the test, so the error classes are shared there too.
const { test } = require("node:test");
const pkg = require("cloudbase-fn");
const testing = require("cloudbase-fn/testing");
const cases = require("../cases.cjs");

for (const [title, fn] of cases(pkg, testing)) test(`require(): ${title}`, fn);
