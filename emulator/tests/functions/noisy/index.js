// Logs must go to the emulator's stderr, never into the runtime protocol.
exports.main = function (event, context) {
  console.log("noisy stdout line\n{\"id\":1,\"ok\":true}")
  console.error("noisy stderr line")
  return "quiet result"
}
