exports.main = async function (event, context) {
  await new Promise((resolve) => setTimeout(resolve, 5))
  throw new Error("rejected: " + (event.why || "no reason"))
}
