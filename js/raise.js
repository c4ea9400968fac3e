// The error object for a core descriptor: `{ name, code, message, status, requestId, body,
// retryable, attempts }` as JSON text (or already parsed), of the class the core named.
import { classes, CloudBaseError } from "./errors.js";

export function raise(descriptor, cause) {
  const d = typeof descriptor === "string" ? JSON.parse(descriptor) : descriptor;
  if (cause !== undefined) d.cause = cause;
  return new (classes[d.name] || CloudBaseError)(d.message, d);
}
