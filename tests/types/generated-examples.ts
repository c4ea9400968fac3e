// Uses the map that cloudbase-fn-types writes for examples/functions (scripts/test.d/35-types.sh
// generates examples-functions.d.ts next to this file, then compiles it against the installed package).
import { createClient, type ResultOf, type DataOf } from "cloudbase-fn";
import type { Functions } from "./examples-functions.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <T extends true>(): void => {};

const client = createClient<Functions>({ baseUrl: "http://127.0.0.1:8787" });

// JSDoc: @returns {string}
same<Equal<ResultOf<Functions, "hello">, string>>();
// JSDoc @typedef Context, used as the result: defined in the generated file.
same<Equal<ResultOf<Functions, "whoami">["qualifier"], string | null>>();
// JSDoc on an async function: the awaited result.
same<Equal<ResultOf<Functions, "slow">, { slept: number }>>();
same<Equal<DataOf<Functions, "slow">, { ms?: number | string }>>();
// No JSDoc: TypeScript's inference from the body (a function that only throws never returns).
same<Equal<ResultOf<Functions, "limited">, { waited: number }>>();
same<Equal<ResultOf<Functions, "boom">, never>>();
// No JSDoc and nothing to infer (echo returns its event): the untyped entry.
same<Equal<Functions["echo"], { data: Record<string, unknown>; result: unknown }>>();

async function main(): Promise<void> {
  const greeting: string = await client.invoke("hello");
  const me = await client.invoke("whoami", {}, { qualifier: "$LATEST" });
  const requestId: string = me.requestId;
  const slept: number = (await client.invoke("slow", { ms: 10 })).slept;
  const echoed: unknown = await client.invoke("echo", { a: 1 });
  // @ts-expect-error: hello@2 is a version of hello, not a name of its own
  await client.invoke("hello@2");
  // @ts-expect-error: not a function of examples/functions
  await client.invoke("missing");
  // @ts-expect-error: slow's ms is a number or a string
  await client.invoke("slow", { ms: true });
  // @ts-expect-error: whoami's context has no user field
  me.user;
  // @ts-expect-error: hello answers a string
  const wrong: { text: string } = await client.invoke("hello");
  void greeting, requestId, slept, echoed, wrong;
}
void main;
