// A text result holding a lone surrogate (half of an emoji cut off), which no UTF-8 body can carry.
exports.main = async function () {
  return 'cut \ud83d'
}
