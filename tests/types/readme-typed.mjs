// Sets up the README's "Typed functions" example as written, in DIR: functions/hello/index.js from
// its first block, and src/app.ts from its TypeScript block plus the two misuses its comment says
// do not compile, as @ts-expect-error lines. Prints the generator's arguments from its sh block.
// Usage: node tests/types/readme-typed.mjs DIR   (scripts/test.d/35-types.sh)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.split("\n## Typed functions\n")[1].split("\n## ")[0];
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
const [fn, sh, ts] = [blocks.find((b) => b.lang === "js"), blocks.find((b) => b.lang === "sh"), blocks.find((b) => b.lang === "ts")];
const path = /^\/\/ (\S+)\n/.exec(fn.code)[1];
mkdirSync(join(dir, path, ".."), { recursive: true });
writeFileSync(join(dir, path), fn.code);
const misuse = '\n// @ts-expect-error: a misspelt field\nclient.invoke("hello", { nam: "Ada" });\n// @ts-expect-error: a misspelt name\nclient.invoke("helo", { name: "Ada" });\nconst check: string = greeting;\nexport { check };\n';
mkdirSync(join(dir, "src"), { recursive: true });
writeFileSync(join(dir, "src/app.ts"), ts.code + misuse);
// The generator's arguments after `npx cloudbase-fn-types`.
console.log(/npx cloudbase-fn-types (.*)/.exec(sh.code)[1]);
