exports.main = async function (event, context) {
  const ms = Number(event.ms) || 0
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { slept: ms }
}
