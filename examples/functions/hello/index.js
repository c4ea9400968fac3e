exports.main = function (event, context) {
  return "Hello fn"
}
