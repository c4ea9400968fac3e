// Typed with JSDoc, which `cloudbase-fn-types` reads (README, "Typed functions").
/**
 * What the emulator passes as `context`.
 * @typedef {object} Context
 * @property {string} requestId
 * @property {string} functionName
 * @property {string | null} qualifier the X-Qualifier sent, if any
 * @property {boolean} webfn
 * @property {number} timeoutMs
 * @property {number} memoryMb
 */

/**
 * @param {Record<string, unknown>} event
 * @param {Context} context
 * @returns {Context}
 */
exports.main = function (event, context) {
  return context
}
