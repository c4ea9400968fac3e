// No credential, in any of the four forms, appears in an error's message, toString(), JSON or
// stack, whatever the failure. (The SDK writes no log lines at all.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { assertNoSecret } from "./helpers/assert.mjs";

const STATIC = "static-SECRET-token-abcdef";
const PROVIDED = "provided-SECRET-token-123456";
const SECRET_ID = "AKIDleakcheck0001";
const SECRET_KEY = "leak-check-SECRET-KEY-zzz";
let open, guarded, sdk;

before(async () => {
  [open, guarded, sdk] = await Promise.all([
    startEmulator(["--faults"]),
    startEmulator(["--faults", "--auth", "--token", STATIC, "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY]),
    importPackage(),
  ]);
});
after(() => Promise.all([open?.stop(), guarded?.stop()]));

/** Failing calls of every kind, made with `options`; returns the errors. */
async function failures(baseUrl, options) {
  const c = sdk.createClient({ baseUrl, ...options });
  const calls = [
    c.invoke("no-such-function", {}),
    c.invoke("boom", {}),
    c.invoke("fault-html502", {}),
    c.invoke("fault-bad-json", {}),
    c.invoke("fault-drop", {}),
    c.invoke("fault-hang", {}, { timeoutMs: 100 }),
    c.invoke("fault-respond", { status: 401, contentType: "application/json", body: '{"code":"INVALID_ACCESS_TOKEN","message":"no"}' }),
    c.invoke("echo", [1]),
    c.invoke("bad/name", {}),
    sdk.createClient({ baseUrl: "http://127.0.0.1:9", ...options }).invoke("echo", {}),
  ];
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => (s.status === "rejected" ? s.reason : assert.fail("expected a rejection")));
}

function assertClean(errors, secrets) {
  assert.ok(errors.length >= 10);
  for (const err of errors) {
    assert.ok(err instanceof sdk.CloudBaseError, String(err));
    assertNoSecret(err, secrets);
  }
}

test("static bearer token", async () => {
  assertClean(await failures(open.url, { accessToken: STATIC }), [STATIC]);
  assertClean(await failures(guarded.url, { accessToken: STATIC }), [STATIC]);
});

test("token provider (and its forced refresh after a 401)", async () => {
  assertClean(await failures(open.url, { accessToken: async () => PROVIDED }), [PROVIDED]);
  assertClean(await failures(guarded.url, { accessToken: async () => PROVIDED }), [PROVIDED]);
});

test("anonymous sign-in session", async () => {
  const accessToken = await sdk.signInAnonymously({ baseUrl: guarded.url });
  const token = await accessToken();
  assertClean(await failures(guarded.url, { accessToken }), [token]);
});

test("TC3 secret key (and session token)", async () => {
  const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: "sts-SECRET-session" };
  assertClean(await failures(guarded.url, { credentials }), [SECRET_KEY, "sts-SECRET-session"]);
  const wrong = { secretId: SECRET_ID, secretKey: "wrong-SECRET-key" };
  assertClean(await failures(guarded.url, { credentials: wrong }), ["wrong-SECRET-key"]);
});

test("a credential echoed where the 1024-character excerpt of an HttpError cuts it: its start is redacted", async () => {
  const c = sdk.createClient({ baseUrl: open.url, accessToken: STATIC });
  for (const at of [1000, 1010, 1020]) {
    const body = `${"x".repeat(at)}${STATIC}</p>`;
    const err = await c.invoke("fault-respond", { status: 502, contentType: "text/html", body }).then(() => assert.fail("resolved"), (e) => e);
    assert.ok(err instanceof sdk.HttpError);
    assertNoSecret(err, [STATIC.slice(0, 6)]);
    assert.ok(err.body.endsWith("[redacted]"), err.body.slice(-20));
  }
});

test("a base URL with a user and password is refused without showing them", () => {
  for (const baseUrl of ["https://deploy:pw-SECRET@gw.example.com", "ftp://u:pw-SECRET@h/x"]) {
    assert.throws(() => sdk.createClient({ baseUrl }), (err) => {
      assert.ok(err instanceof sdk.InvalidArgumentError);
      assertNoSecret(err, ["pw-SECRET"]);
      return true;
    });
  }
});

test("invalid credentials are described without being echoed", () => {
  for (const options of [
    { accessToken: `${STATIC}\r\n` },
    { credentials: { secretId: "id", secretKey: `${SECRET_KEY}\n` } },
    { credentials: { secretId: `${SECRET_ID}\n`, secretKey: SECRET_KEY } },
  ]) {
    assert.throws(() => sdk.createClient({ baseUrl: open.url, ...options }), (err) => {
      assert.ok(err instanceof sdk.InvalidArgumentError);
      assert.ok(!err.message.includes(STATIC) && !err.message.includes(SECRET_KEY) && !err.message.includes(SECRET_ID));
      return true;
    });
  }
});
