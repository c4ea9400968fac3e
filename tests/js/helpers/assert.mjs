// Assertions shared by the JS suites.
import assert from "node:assert/strict";
import { inspect } from "node:util";

/** Awaits a rejection and returns the error; fails the test when the call resolves. */
export async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected the call to reject");
}

/**
 * Asserts that no text of `err` (message, string, JSON, stack, and what `console.error(err)` prints,
 * its `cause` included) contains any of `secrets`.
 */
export function assertNoSecret(err, secrets) {
  for (const text of [err.message, String(err), JSON.stringify(err), err.stack ?? "", inspect(err, { depth: 8 })]) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${err.name}'s text contains a credential`);
  }
}

/**
 * Asserts a typed error of the package `sdk`: an instance of `Class`, of CloudBaseError and of
 * Error, with `Class`'s name and the given code and status, and without any of `secrets`.
 */
export function assertTyped(sdk, err, Class, code, status, secrets = []) {
  assert.ok(err instanceof Class, `${err?.name} is not a ${Class.name}: ${err?.message}`);
  assert.ok(err instanceof sdk.CloudBaseError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, Class.name);
  assert.equal(err.code, code);
  assert.equal(err.status, status);
  assertNoSecret(err, secrets);
}
