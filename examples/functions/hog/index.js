exports.main = function (event, context) {
  const keep = []
  for (;;) keep.push(new Array(1 << 16).fill({ x: keep.length }))
}
