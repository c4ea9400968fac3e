exports.main = function (event, context) {
  return context
}
