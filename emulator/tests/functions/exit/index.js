// Ends its own worker thread mid-invocation.
exports.main = function (event, context) {
  process.exit(3)
}
