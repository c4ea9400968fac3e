// Kills the whole runtime host process (not just its worker).
exports.main = function (event, context) {
  process.kill(process.pid, 'SIGKILL')
}
