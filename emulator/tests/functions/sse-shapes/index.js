// Every kind of item a streaming function may yield, and results that must not stream.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function* shapes() {
  yield "plain"
  yield "two\nlines\r\nand\rthree"
  yield ""
  yield { data: "just data" }
  yield { event: "named", id: 7, retry: 1500, data: { nested: [1, "a\nb"] } }
  yield { event: "", id: "", data: " leading space" }
  yield { data: undefined }
  yield { i: 1 } // no data property: the whole value is the data
  yield [1, 2]
  yield 42
  yield null
  yield "\ud800" // a lone surrogate: sent as U+FFFD
}

async function* bad(field) {
  try {
    yield "ok"
    yield field === "retry" ? { retry: 1.5, data: "x" } : { [field]: "a\nb", data: "x" }
  } finally {
    // Runs because the emulator closes the iterator after a bad item.
  }
}

exports.main = async function (event, context) {
  switch (event.mode) {
    case "shapes":
      return shapes()
    case "bad":
      return bad(event.field)
    case "empty":
      return (async function* () {})()
    case "custom": {
      // Not a generator: any object with Symbol.asyncIterator streams.
      await sleep(5)
      let i = 0
      return {
        [Symbol.asyncIterator]() {
          return { next: async () => (i < 2 ? { value: "c" + i++, done: false } : { done: true }) }
        },
      }
    }
    case "array":
      return [1, 2]
    case "sync-generator":
      return (function* () { yield 1 })()
    default:
      throw new Error("unknown mode " + event.mode)
  }
}
