// Middleware (the edge runtime) calling functions with the package, on /middleware?emulator=URL.
import { serverCalls } from "./lib/server-calls.js";

export const config = { matcher: "/middleware" };

export const middleware = serverCalls;
