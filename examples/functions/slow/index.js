// Typed with JSDoc, which `cloudbase-fn-types` reads (README, "Typed functions").
/**
 * @param {{ ms?: number | string }} event how long to wait, in ms
 * @returns {Promise<{ slept: number }>}
 */
exports.main = async function (event, context) {
  const ms = Number(event.ms) || 0
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { slept: ms }
}
