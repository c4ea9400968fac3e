exports.main = function (event, context) {
  for (;;) {}
}
