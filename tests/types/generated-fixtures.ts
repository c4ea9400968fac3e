// Uses the map that cloudbase-fn-types writes for tests/types/fixtures/functions (JSDoc typedefs, TS
// interfaces, an import from a shared file, untyped, async and Promise-returning functions, a name
// with a dash); scripts/test.d/35-types.sh generates fixtures-functions.d.ts next to this file.
import { createClient, type ResultOf, type DataOf } from "cloudbase-fn";
import type { Functions } from "./fixtures-functions.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <T extends true>(): void => {};

// Exactly the folders with an index.js or index.ts and a valid name: no version, no _shared.
same<Equal<keyof Functions, "double" | "greet" | "invoice" | "lookup" | "order" | "sum" | "untyped" | "with-dash">>();
// TypeScript interfaces (one not exported), an async main: Promise<Receipt> -> Receipt.
same<Equal<DataOf<Functions, "order">, { sku: string; quantity: number; note?: string }>>();
same<Equal<ResultOf<Functions, "order">["lines"], { sku: string; price: number }[]>>();
// JSDoc typedefs named like order's interface: each keeps its own.
same<Equal<DataOf<Functions, "invoice">["amounts"], number[]>>();
same<Equal<ResultOf<Functions, "invoice">, { id: string; total: number; currency: "EUR" | "CNY" }>>();
// Not async but returning a Promise.
same<Equal<ResultOf<Functions, "lookup">, { key: string; found: boolean } | null>>();
// Inferred result; a defaulted event, so data may be left out.
same<Equal<ResultOf<Functions, "double">, { doubled: number; at: string }>>();
// A type imported from another file.
same<Equal<DataOf<Functions, "greet">, { name: string; tags: string[] }>>();
// any in, any out; no types at all.
same<Equal<Functions["with-dash"], { data: Record<string, unknown>; result: unknown }>>();
same<Equal<Functions["untyped"], { data: Record<string, unknown>; result: unknown }>>();
// An array event cannot be sent (the body is a JSON object): untyped data, the result kept.
same<Equal<Functions["sum"], { data: Record<string, unknown>; result: number }>>();

const client = createClient<Functions>({ envId: "my-env" });

async function main(): Promise<void> {
  const receipt = await client.invoke("order", { sku: "a-1", quantity: 2 });
  const total: number = receipt.total;
  const doubled: number = (await client.invoke("double")).doubled;
  const raw = await client.invoke("invoice", { customer: "c", amounts: [1, 2] }, { raw: true });
  const currency: "EUR" | "CNY" = raw.data.currency;
  const found = await client.invoke("lookup", { key: "k" });
  const maybe: boolean | undefined = found?.found;
  const greeting: string = (await client.invoke("greet", { name: "Ada", tags: [] })).greeting;
  const loose: unknown = await client.invoke("with-dash", { anything: [1] });
  // @ts-expect-error: order's quantity is required
  await client.invoke("order", { sku: "a-1" });
  // @ts-expect-error: invoice's currency is "EUR" or "CNY"
  await client.invoke("invoice", { customer: "c", amounts: [], currency: "USD" });
  // @ts-expect-error: lookup may answer null
  const key: string = (await client.invoke("lookup", { key: "k" })).key;
  // @ts-expect-error: greet takes a Person
  await client.invoke("greet", { name: "Ada" });
  // @ts-expect-error: a version folder is not a name
  await client.invoke("order@beta", { beta: true });
  // @ts-expect-error: the untyped result is unknown, not any
  const s: string = await client.invoke("untyped");
  void total, doubled, currency, maybe, greeting, loose, key, s;
}
void main;
