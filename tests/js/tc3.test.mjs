// TC3-HMAC-SHA256 signed calls (server build) against an emulator that verifies signatures with
// the key pair it was started with.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure } from "./helpers/assert.mjs";

const SECRET_ID = "AKIDexampleid123";
const SECRET_KEY = "SeCrEtKeY-never-in-messages-42";
let emu, sdk;

before(async () => {
  [emu, sdk] = await Promise.all([
    startEmulator(["--faults", "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY]),
    importPackage(),
  ]);
});
after(() => emu?.stop());

test("a signed call is accepted and the header has the gateway's form", async () => {
  const c = sdk.createClient({ baseUrl: emu.url, credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: "sts-token-1" } });
  assert.deepEqual(await c.invoke("echo", { signed: true }), { signed: true });
  const seen = await c.invoke("fault-headers", { a: 1 });
  assert.match(
    seen.authorization,
    /^TC3-HMAC-SHA256 Credential=AKIDexampleid123\/\d{4}-\d{2}-\d{2}\/tcb\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}, Timestamp=\d{10}, Token=sts-token-1$/,
  );
  assert.ok(!seen.authorization.includes(SECRET_KEY));
});

test("a wrong secret key is refused by the gateway, and the key appears in no message", async () => {
  const c = sdk.createClient({ baseUrl: emu.url, credentials: { secretId: SECRET_ID, secretKey: "wrong-key" } });
  const err = await failure(c.invoke("echo", {}));
  assert.ok(err instanceof sdk.CloudBaseError);
  assert.equal(err.status, 401);
  assert.equal(err.code, "SIGN_PARAM_INVALID");
  for (const text of [err.message, String(err), JSON.stringify(err)]) assert.ok(!text.includes("wrong-key"));
});

test("credentials are checked before any request", () => {
  for (const credentials of [{}, { secretId: SECRET_ID }, { secretId: "", secretKey: "k" }, { secretId: "a", secretKey: "b\r\nX: 1" }]) {
    assert.throws(() => sdk.createClient({ baseUrl: emu.url, credentials }), sdk.InvalidArgumentError);
  }
  assert.throws(
    () => sdk.createClient({ baseUrl: emu.url, accessToken: "t", credentials: { secretId: "a", secretKey: "b" } }),
    sdk.InvalidArgumentError,
  );
});

test("a secret key is refused in a browser-like runtime unless explicitly allowed", async () => {
  globalThis.document = {};
  try {
    const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };
    assert.throws(() => sdk.createClient({ baseUrl: emu.url, credentials }), (err) => {
      assert.ok(err instanceof sdk.InvalidArgumentError);
      assert.match(err.message, /refused in a browser/);
      assert.ok(!err.message.includes(SECRET_KEY));
      return true;
    });
    const allowed = sdk.createClient({ baseUrl: emu.url, credentials, allowSecretKeyInBrowser: true });
    assert.deepEqual(await allowed.invoke("echo", { ok: 1 }), { ok: 1 });
  } finally {
    delete globalThis.document;
  }
});
