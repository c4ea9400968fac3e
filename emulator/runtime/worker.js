// cloudbase-fn-emulator runtime: the worker side. Not a script of its own: src/replies.rs appends
// it to host.js (which holds the constants it uses), and the host starts that one script again as
// each worker thread. A worker loads one function, then runs one invocation at a time on request.

function runWorker() {
  let main = null;
  let loadError = null;
  // index.js is CommonJS even under a package.json with "type": "module"
  // (compiled as CJS directly); a file using ESM syntax falls back to import().
  const ready = (async () => {
    let mod;
    try {
      const fs = require('fs');
      const path = require('path');
      const Module = require('module');
      const file = workerData.file;
      const m = new Module(file, null);
      m.filename = file;
      m.paths = Module._nodeModulePaths(path.dirname(file));
      try {
        m._compile(fs.readFileSync(file, 'utf8'), file);
        mod = m.exports;
      } catch (e) {
        if (!(e instanceof SyntaxError) || !/\b(import|export)\b/.test(String(e.message))) throw e;
        mod = await import(require('url').pathToFileURL(file).href);
      }
      main = mod && typeof mod.main === 'function' ? mod.main : null;
      if (!main) loadError = new Error('index.js does not export a main(event, context) function');
    } catch (e) {
      loadError = e;
    }
  })();
  function errMessage(e) {
    if (e && typeof e.message === 'string') return e.message;
    try { return String(e); } catch (_) { return 'function failed'; }
  }
  let first = true;
  let current = null; // { id, cancelled, it, unacked, wake, done }
  function reply(inv, out) {
    if (inv.done) return;
    inv.done = true;
    if (current === inv) current = null;
    out.id = inv.id;
    parentPort.postMessage(out);
  }
  function failed(e) {
    return { ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: errMessage(e) };
  }
  parentPort.on('message', async (msg) => {
    if (msg.cancel || msg.ack) {
      const inv = current;
      if (!inv || inv.id !== msg.id) return;
      if (msg.cancel) cancel(inv);
      else if (--inv.unacked < WINDOW && inv.wake) inv.wake();
      return;
    }
    const inv = { id: msg.id, cancelled: false, it: null, unacked: 0, wake: null, done: false };
    current = inv;
    await ready;
    if (first) {
      // Cold start done: the time limit counts from here.
      first = false;
      parentPort.postMessage({ id: msg.id, started: true });
    }
    if (loadError) {
      reply(inv, { ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: 'failed to load function: ' + errMessage(loadError) });
      return;
    }
    let out;
    try {
      const value = await main(msg.event, msg.context);
      if (value != null && typeof value[Symbol.asyncIterator] === 'function') {
        stream(inv, value);
        return;
      }
      if (typeof value === 'string') {
        // A lone surrogate has no UTF-8 form: as U+FFFD, not as a \ud800 escape the gateway's JSON parser refuses.
        out = { ok: true, type: 'text', body: typeof value.toWellFormed === 'function' ? value.toWellFormed() : value };
      } else {
        const body = value === undefined ? 'null' : JSON.stringify(value);
        out = { ok: true, type: 'json', body: body === undefined ? 'null' : body };
      }
    } catch (e) {
      out = failed(e);
    }
    reply(inv, out);
  });

  // Sends each item of an async iterable as one server-sent event, as soon as it is produced.
  async function stream(inv, iterable) {
    try {
      inv.it = iterable[Symbol.asyncIterator]();
    } catch (e) {
      reply(inv, failed(e));
      return;
    }
    if (inv.cancelled) return close(inv);
    parentPort.postMessage({ id: inv.id, stream: true });
    for (;;) {
      while (inv.unacked >= WINDOW && !inv.cancelled) await new Promise((resolve) => { inv.wake = resolve; });
      inv.wake = null;
      if (inv.cancelled) return; // close() reports the end
      let item;
      try {
        const r = await inv.it.next();
        if (inv.cancelled) return;
        if (r.done) break;
        item = r.value;
      } catch (e) {
        // The iterator failed, so it is finished (as in for await, return() is not called).
        if (!inv.cancelled) reply(inv, failed(e));
        return;
      }
      let chunk;
      try {
        chunk = sseEvent(item);
      } catch (e) {
        // A bad item: let the function clean up (finally blocks), then report it.
        try { await inv.it.return?.(); } catch (_) { /* the item's error is the one to report */ }
        reply(inv, failed(e));
        return;
      }
      inv.unacked++;
      parentPort.postMessage({ id: inv.id, chunk });
    }
    reply(inv, { ok: true, type: 'end' });
  }

  function cancel(inv) {
    if (inv.cancelled || inv.done) return;
    inv.cancelled = true;
    if (inv.wake) inv.wake();
    // Before main() has returned there is no iterator yet: stream() closes it on arrival.
    if (inv.it) close(inv);
  }

  // return() runs the function's finally blocks. An async generator runs it only once its pending
  // await settles, hence the host's CANCEL_GRACE_MS.
  function close(inv) {
    Promise.resolve()
      .then(() => (typeof inv.it.return === 'function' ? inv.it.return() : undefined))
      .catch(() => {})
      .then(() => reply(inv, { ok: true, type: 'end' }));
  }
}

// One item as the text of a server-sent event: a string is its data, an object with a `data`
// property gives the fields { event, data, id, retry }, anything else is JSON-encoded as data.
// Non-string data is JSON-encoded; each line of the data becomes one `data:` line.
function sseEvent(item) {
  let text = '';
  let data = item;
  if (item !== null && typeof item === 'object' && 'data' in item) {
    text += sseField('event', item.event) + sseField('id', item.id);
    if (item.retry !== undefined && item.retry !== null) {
      if (!Number.isSafeInteger(item.retry) || item.retry < 0) throw new TypeError('the retry of a server-sent event must be a whole number of milliseconds, got ' + String(item.retry));
      text += 'retry: ' + item.retry + '\n';
    }
    data = item.data;
  }
  if (typeof data !== 'string') {
    data = JSON.stringify(data);
    if (data === undefined) data = 'null';
  }
  for (const line of data.split(/\r\n|\r|\n/)) text += 'data: ' + line + '\n';
  text += '\n';
  // A lone surrogate would reach the gateway as a \ud800 escape, which its JSON parser refuses.
  return typeof text.toWellFormed === 'function' ? text.toWellFormed() : text;
}

function sseField(name, value) {
  if (value === undefined || value === null) return '';
  const s = String(value);
  // A line break would end the field (and could forge others); clients ignore an id with NUL.
  if (/[\r\n]/.test(s) || (name === 'id' && s.includes('\0'))) throw new TypeError('the ' + name + ' of a server-sent event must not contain line breaks' + (name === 'id' ? ' or NUL' : '') + ': ' + JSON.stringify(s));
  return name + ': ' + s + '\n';
}
