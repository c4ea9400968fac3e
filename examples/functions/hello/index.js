// Typed with JSDoc, which `cloudbase-fn-types` reads (README, "Typed functions").
/**
 * @param {Record<string, unknown>} event nothing is read from it
 * @returns {string} text/plain
 */
exports.main = function (event, context) {
  return "Hello fn"
}
