exports.main = function (event, context) {}
