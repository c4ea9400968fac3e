// A Route Handler on the edge runtime calling functions with the package: GET /api/edge?emulator=URL.
import { serverCalls } from "../../../lib/server-calls.js";

export const runtime = "edge";
export const dynamic = "force-dynamic";

export const GET = serverCalls;
