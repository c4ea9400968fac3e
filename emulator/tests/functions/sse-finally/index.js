// Yields forever; its finally block writes event.marker with the number of items produced, so a
// test can see that the emulator called return() (a terminated worker runs no finally block).
//   event: { marker, everyMs = 10 (0: no pause), bytes = 1 (data size) }
const fs = require("fs")
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

exports.main = async function* (event, context) {
  const data = "x".repeat(event.bytes ?? 1)
  let produced = 0
  try {
    for (;;) {
      if ((event.everyMs ?? 10) > 0) await sleep(event.everyMs ?? 10)
      produced++
      yield data
    }
  } finally {
    fs.writeFileSync(event.marker, String(produced))
  }
}
