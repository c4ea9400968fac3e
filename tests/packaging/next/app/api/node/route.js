// A Route Handler on the nodejs runtime calling functions with the package: GET /api/node?emulator=URL.
import { serverCalls } from "../../../lib/server-calls.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = serverCalls;
