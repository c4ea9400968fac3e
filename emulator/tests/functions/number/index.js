exports.main = async function (event, context) {
  return 42
}
