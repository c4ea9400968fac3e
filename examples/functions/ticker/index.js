// A streaming function: main is an async generator, so the emulator answers with server-sent
// events, one per yielded item, each sent as soon as it is yielded.
//   event (the request body): { count = 3, everyMs = 50, stallAfter, failAt }
//   yields { event: "tick", id: "<i>", data: { i } } for i = 0 .. count-1, the first at once and
//   then one every everyMs; after stallAfter events it waits until the client goes away (the
//   emulator then stops it) or its 10 s time limit between events ends the stream; instead of
//   event failAt it throws (an `event: error` ends the stream; a plain 400 if no event was sent).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

exports.main = async function* (event, context) {
  const count = Number(event.count ?? 3)
  const everyMs = Number(event.everyMs ?? 50)
  const stallAfter = event.stallAfter == null ? -1 : Number(event.stallAfter)
  const failAt = event.failAt == null ? -1 : Number(event.failAt)
  for (let i = 0; i <= count; i++) {
    if (i > 0 && i < count) await sleep(everyMs)
    if (i === stallAfter) await new Promise(() => {})
    if (i === count) break
    if (i === failAt) throw new Error(`ticker failed at ${i}`)
    yield { event: "tick", id: String(i), data: { i } }
  }
}
