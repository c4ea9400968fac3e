// Writes straight to fd 1 without a newline: must not reach the runtime's reply channel.
exports.main = function () {
  require("fs").writeSync(1, "partial line on fd 1")
  return { ok: 1 }
}
