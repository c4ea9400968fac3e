exports.main = function (event, context) {
  return event
}
