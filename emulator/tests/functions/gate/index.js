// Answers only once `count` invocations are inside it at the same time, so a test can show that
// calls run at once without assuming how long anything takes. Each marks its arrival with a file
// in `dir`; if the calls ran one after another, the first would wait until its time limit.
const fs = require('fs')
const path = require('path')

exports.main = async function (event) {
  fs.writeFileSync(path.join(event.dir, String(event.i)), '')
  while (fs.readdirSync(event.dir).length < event.count) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return { i: event.i }
}
