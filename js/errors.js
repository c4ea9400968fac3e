// Error classes of cloudbase-fn. Rust creates them through `makeError` (imported by the wasm
// boundary), so `instanceof` works against the classes this package exports.

/** Base class of every error the SDK raises. */
export class CloudBaseError extends Error {
  constructor(message, { code, status, requestId, body, cause, retryable = false, attempts } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code ?? this.constructor.code;
    this.status = status;
    this.requestId = requestId;
    if (body !== undefined) this.body = body;
    this.retryable = retryable;
    if (attempts) this.attempts = attempts;
  }

  toJSON() {
    const { name, code, message, status, requestId, body, retryable, attempts } = this;
    return { name, code, message, status, requestId, body, retryable, attempts };
  }
}
CloudBaseError.code = "UNKNOWN";
CloudBaseError.prototype.name = "CloudBaseError";

// Class names are set explicitly so minifiers cannot change them.
const define = (name, code) => {
  const C = class extends CloudBaseError {};
  Object.defineProperty(C, "name", { value: name });
  C.prototype.name = name;
  C.code = code;
  return C;
};

export const FunctionNotFoundError = define("FunctionNotFoundError", "FUNCTION_NOT_FOUND");
export const FunctionQualifierNotFoundError = define("FunctionQualifierNotFoundError", "FUNCTION_QUALIFIER_NOT_FOUND");
export const FunctionInvocationFailedError = define("FunctionInvocationFailedError", "FUNCTION_INVOCATION_FAILED");
export const FunctionParamInvalidError = define("FunctionParamInvalidError", "FUNCTION_PARAM_INVALID");
export const FunctionExceedResourceLimitError = define("FunctionExceedResourceLimitError", "FUNCTION_EXCEED_RESOURCE_LIMIT");
export const FunctionStatusAbnormalError = define("FunctionStatusAbnormalError", "FUNCTION_STATUS_ABNORMAL");
export const FunctionTimeLimitExceededError = define("FunctionTimeLimitExceededError", "FUNCTION_TIME_LIMIT_EXCEEDED");
export const FunctionMemoryLimitExceededError = define("FunctionMemoryLimitExceededError", "FUNCTION_MEMORY_LIMIT_EXCEEDED");
export const ExceedAuthorityError = define("ExceedAuthorityError", "EXCEED_AUTHORITY");
export const ActionForbiddenError = define("ActionForbiddenError", "ACTION_FORBIDDEN");
export const InvalidHostError = define("InvalidHostError", "INVALID_HOST");
export const NetworkError = define("NetworkError", "NETWORK_ERROR");
export const TimeoutError = define("TimeoutError", "TIMEOUT");
export const AbortError = define("AbortError", "ABORTED");
export const HttpError = define("HttpError", "HTTP_ERROR");
export const InvalidResponseError = define("InvalidResponseError", "INVALID_RESPONSE");
export const InvalidArgumentError = define("InvalidArgumentError", "INVALID_ARGUMENT");
export const AuthError = define("AuthError", "AUTH_ERROR");

const classes = {
  CloudBaseError, FunctionNotFoundError, FunctionQualifierNotFoundError, FunctionInvocationFailedError,
  FunctionParamInvalidError, FunctionExceedResourceLimitError, FunctionStatusAbnormalError,
  FunctionTimeLimitExceededError, FunctionMemoryLimitExceededError, ExceedAuthorityError,
  ActionForbiddenError, InvalidHostError, NetworkError, TimeoutError, AbortError, HttpError,
  InvalidResponseError, InvalidArgumentError, AuthError,
};

/** Called from Rust: the class is chosen by the contract module, by name. */
export function makeError(className, code, message, status, requestId, body, cause, retryable, attempts) {
  const C = classes[className] || CloudBaseError;
  return new C(message, { code, status, requestId, body, cause, retryable, attempts });
}
