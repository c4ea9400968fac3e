// The Leptos example in headless Chromium against the emulator: the page (served from its own
// origin, so every call is cross-origin) invokes `echo` on load and shows the typed result, then
// a click invokes a missing function and shows the typed error. Run by scripts/test.d/25-rust-client.sh
// after build.sh; the emulator is EMULATOR_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, extname } from "node:path";
import { chromium } from "playwright-core";

const dist = join(import.meta.dirname, "dist");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

test("a Leptos app in Chromium invokes functions through the Rust client", async (t) => {
  const gateway = process.env.EMULATOR_URL;
  assert.ok(gateway, "EMULATOR_URL is set");
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    try {
      const body = await readFile(join(dist, path === "/" ? "index.html" : path.slice(1)));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "text/html" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/?gateway=${gateway}`);
  // Until the app has rendered, #echo does not exist: wait for it to exist and to have left "calling…".
  await page.waitForFunction(() => {
    const text = document.querySelector("#echo")?.textContent;
    return text !== undefined && text !== "calling…";
  }, null, { timeout: 20_000 });
  assert.equal(await page.textContent("#echo"), "echo says hello to Leptos");
  await page.click("#missing");
  await page.waitForFunction(() => document.querySelector("#error")?.textContent, null, { timeout: 10_000 });
  assert.equal(await page.textContent("#error"), "FunctionNotFoundError FUNCTION_NOT_FOUND 404");
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });
  assert.deepEqual(errors, []);
});
