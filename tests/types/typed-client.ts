// createClient<Functions> with a hand-written map (scripts/test.d/35-types.sh compiles it against
// the installed package): names, data and results are checked; every @ts-expect-error line must
// still be an error, or the compile fails. Untyped use stays as before (usage.ts).
import {
  createClient,
  invoke,
  type Client,
  type TypedClient,
  type FunctionMap,
  type FunctionTypes,
  type DataOf,
  type ResultOf,
  type InvokeArgs,
  type RawResult,
  type InvokeOptions,
  type BodyStream,
  type AnyResultOf,
} from "cloudbase-fn";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <T extends true>(): void => {};

interface Greeting {
  name: string;
  lang?: "en" | "fr";
}

// An interface (no index signature), as the generator writes it.
interface Functions {
  echo: { data: Record<string, unknown>; result: unknown };
  hello: { data: Greeting; result: string };
  whoami: FunctionTypes<{}, { requestId: string; qualifier: string | null }>;
  "list-items": FunctionTypes<{ page?: number }, { items: string[]; next?: number }>;
}

const client = createClient<Functions>({ envId: "my-env", accessToken: "t" });
const untyped = createClient({ envId: "my-env" });
same<Equal<typeof client, TypedClient<Functions>>>();
same<Equal<typeof untyped, Client>>();
same<Equal<DataOf<Functions, "hello">, Greeting>>();
same<Equal<ResultOf<Functions, "list-items">, { items: string[]; next?: number }>>();

// A wrapper over a typed client, with the exported argument type.
function call<Name extends keyof Functions & string>(name: Name, ...args: InvokeArgs<Functions, Name>): Promise<ResultOf<Functions, Name>> {
  return client.invoke(name, ...args);
}

async function typedCalls(): Promise<void> {
  const text = await client.invoke("hello", { name: "Ada" });
  same<Equal<typeof text, string>>();
  const me = await client.invoke("whoami");
  same<Equal<typeof me.qualifier, string | null>>();
  const page = await client.invoke("list-items", { page: 2 }, { timeoutMs: 500, qualifier: "2" });
  const items: string[] = page.items;
  const first = await client.invoke("list-items");
  same<Equal<typeof first, { items: string[]; next?: number }>>();
  const anything = await client.invoke("echo", { a: 1, b: [true] });
  same<Equal<typeof anything, unknown>>();
  const raw = await client.invoke("hello", { name: "Ada", lang: "fr" }, { raw: true });
  same<Equal<typeof raw, RawResult<string>>>();
  const rawNoData = await client.invoke("whoami", undefined, { raw: true });
  const id: string = rawNoData.data.requestId;
  const viaWrapper = await call("hello", { name: "Bo" });
  same<Equal<typeof viaWrapper, string>>();
  // One-shot: both type arguments (TypeScript infers none once one is given).
  const once = await invoke<Functions, "hello">({ envId: "my-env" }, "hello", { name: "Cy" });
  same<Equal<typeof once, string>>();
  const onceRaw = await invoke<Functions, "whoami">({ envId: "my-env" }, "whoami", {}, { raw: true });
  same<Equal<typeof onceRaw.data.requestId, string>>();
  client.free();
  void items, id;
}

async function untypedCallsAsBefore(): Promise<void> {
  const anyName = await untyped.invoke("whatever-name", { x: 1 });
  same<Equal<typeof anyName, unknown>>();
  const explicit = await untyped.invoke<{ a: number }>("echo", { a: 1 });
  same<Equal<typeof explicit, { a: number }>>();
  const raw = await untyped.invoke<string>("hello", undefined, { raw: true });
  same<Equal<typeof raw, RawResult<string>>>();
  const once = await invoke<number>({ envId: "my-env" }, "anything");
  same<Equal<typeof once, number>>();
  const loose: FunctionMap = { f: { data: {}, result: 1 } };
  void loose;
}

async function misuse(): Promise<void> {
  // @ts-expect-error: a name that is not in the map
  await client.invoke("helo", { name: "Ada" });
  // @ts-expect-error: a version is not a name (qualifier is an option)
  await client.invoke("hello@2", { name: "Ada" });
  // @ts-expect-error: wrong data shape (name is a string)
  await client.invoke("hello", { name: 42 });
  // @ts-expect-error: a required field missing
  await client.invoke("hello", { lang: "en" });
  // @ts-expect-error: data required when a field is
  await client.invoke("hello");
  // @ts-expect-error: a field that the function does not take
  await client.invoke("hello", { name: "Ada", extra: true });
  // @ts-expect-error: a value outside a union
  await client.invoke("hello", { name: "Ada", lang: "de" });
  // @ts-expect-error: wrong result use (hello answers a string)
  const n: number = await client.invoke("hello", { name: "Ada" });
  // @ts-expect-error: wrong result use (no such field)
  (await client.invoke("whoami")).userId;
  // @ts-expect-error: a raw result is not the data
  const s: string = await client.invoke("hello", { name: "Ada" }, { raw: true });
  // @ts-expect-error: the raw data has the function's type
  const r: RawResult<number> = await client.invoke("hello", { name: "Ada" }, { raw: true });
  // @ts-expect-error: raw needs data (or undefined) before the options
  await client.invoke("hello", { raw: true });
  // @ts-expect-error: a typed client takes its result types from the map
  await client.invoke<{ other: 1 }>("hello", { name: "Ada" });
  // @ts-expect-error: one-shot: the data of the named function
  await invoke<Functions, "hello">({ envId: "my-env" }, "hello", { nom: "Ada" });
  // @ts-expect-error: one-shot: the name must match the type argument
  await invoke<Functions, "hello">({ envId: "my-env" }, "whoami");
  // @ts-expect-error: a map entry needs data and result
  createClient<{ f: { data: {} } }>({});
  // @ts-expect-error: data is an object (the body is its JSON)
  createClient<{ f: { data: string; result: 1 } }>({});
  // @ts-expect-error: options are still checked on a typed client
  createClient<Functions>({ envID: "typo" });
  // @ts-expect-error: the untyped client still refuses non-object data
  await untyped.invoke("echo", [1, 2]);
  void n, s, r;
}

// Options of the exported InvokeOptions type (their raw and stream not known): the union of what
// the call may resolve to; the name and data are still checked.
function forward<Name extends keyof Functions & string>(name: Name, ...args: InvokeArgs<Functions, Name, InvokeOptions>): Promise<AnyResultOf<Functions, Name>> {
  return client.invoke(name, ...args);
}

async function anyOptions(options: InvokeOptions): Promise<void> {
  const either = await client.invoke("hello", { name: "Ada" }, options);
  same<Equal<typeof either, string | RawResult<string> | BodyStream | RawResult<BodyStream>>>();
  same<Equal<typeof either, AnyResultOf<Functions, "hello">>>();
  const noData = await client.invoke("whoami", undefined, options);
  same<Equal<typeof noData, AnyResultOf<Functions, "whoami">>>();
  const viaForward = await forward("list-items", {}, options);
  same<Equal<typeof viaForward, AnyResultOf<Functions, "list-items">>>();
  const once = await invoke<Functions, "hello">({ envId: "my-env" }, "hello", { name: "Cy" }, options);
  same<Equal<typeof once, AnyResultOf<Functions, "hello">>>();
  // The typed one-shot form streams as a client does.
  const onceBody = await invoke<Functions, "hello">({ envId: "my-env" }, "hello", { name: "Cy" }, { stream: true });
  same<Equal<typeof onceBody, BodyStream>>();
  const onceRawBody = await invoke<Functions, "whoami">({ envId: "my-env" }, "whoami", undefined, { stream: true, raw: true });
  same<Equal<typeof onceRawBody, RawResult<BodyStream>>>();

  // @ts-expect-error: any options: still the data of the named function
  await client.invoke("hello", { nom: "Ada" }, options);
  // @ts-expect-error: and a name from the map
  await client.invoke("helo", { name: "Ada" }, options);
  // @ts-expect-error: the union is not the bare result
  const bare: string = await client.invoke("hello", { name: "Ada" }, options);
  // @ts-expect-error: one-shot typed stream: not the function's result
  const notResult: string = await invoke<Functions, "hello">({ envId: "my-env" }, "hello", { name: "Cy" }, { stream: true });
  void bare, notResult;
}

// The runtime refuses arrays as data (InvalidArgumentError): a map cannot declare them.
// @ts-expect-error: FunctionTypes' data is not an array
type SumTypes = FunctionTypes<number[], number>;
// @ts-expect-error: nor a tuple
type PairTypes = FunctionTypes<[number, number], number>;
async function arrayData(): Promise<void> {
  // @ts-expect-error: a map whose data is an array
  createClient<{ sum: { data: number[]; result: number } }>({});
  // @ts-expect-error: nor a readonly one
  createClient<{ sum: { data: readonly string[]; result: number } }>({});
  // Objects with array fields, interfaces and loose objects are data.
  const withArray = createClient<{ sum: FunctionTypes<{ values: number[] }, number>; hello: Functions["hello"] }>({});
  const total: number = await withArray.invoke("sum", { values: [1, 2] });
  void total;
}

void typedCalls, untypedCallsAsBefore, misuse, anyOptions, arrayData;
