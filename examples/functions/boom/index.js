exports.main = function (event, context) {
  throw new Error("boom: something went wrong")
}
