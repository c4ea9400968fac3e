// The same declarations through require (index.d.cts): a CommonJS project gets the typed client too.
import { createClient, type ResultOf } from "cloudbase-fn";

interface Functions {
  hello: { data: { name: string }; result: string };
}

const client = createClient<Functions>({ envId: "my-env" });

async function main(): Promise<void> {
  const text: ResultOf<Functions, "hello"> = await client.invoke("hello", { name: "Ada" });
  // @ts-expect-error: a name that is not in the map
  await client.invoke("other");
  // @ts-expect-error: wrong data shape
  await client.invoke("hello", { name: 1 });
  void text;
}
void main;
