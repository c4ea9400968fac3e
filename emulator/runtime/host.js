'use strict';
// cloudbase-fn-emulator runtime host.
//
// One long-lived Node process, started by the Rust gateway. Protocol:
// newline-delimited JSON, one message per line, in on stdin, out on fd 3 (a pipe of
// its own: fd 1, which functions may write to, goes to the gateway's stderr).
//   in : {"id":N,"dir":"/abs/fn/folder","timeoutMs":3000,"memoryMb":128,
//         "context":{...},"event":{...}}
//        {"id":N,"cancel":true}  the client went away: stop a streaming function
//        {"id":N,"ack":1}        one streamed event was handed to the client's socket
//   out: {"id":N,"ok":true,"type":"json"|"text","body":"<string>"}
//        {"id":N,"ok":false,"code":"FUNCTION_...","message":"..."}
//        {"id":N,"stream":true}  main returned an async iterable; then, for each item:
//        {"id":N,"chunk":"event: ...\ndata: ...\n\n"}  and finally
//        {"id":N,"ok":true,"type":"end"} or an ok:false reply as above.
// The functions' side, what runs in each worker thread, is runtime/worker.js: the gateway joins
// the two files into one script (src/replies.rs), which starts itself as the workers.
// Each invocation runs in a worker thread taken from a warm per-function pool
// (a worker serves one invocation at a time and is reused afterwards). Workers
// that time out are terminated; workers that die (OOM, process.exit, uncaught
// error) are replaced on the next call.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

// At most WINDOW streamed events may be unacknowledged by the gateway, so a fast producer is
// paced by its client instead of piling events up in memory.
const WINDOW = 32;
// After a streaming client goes away, a function that has not stopped by then (its iterator's
// return() waits behind an await that never settles) is terminated.
const CANCEL_GRACE_MS = 1000;

if (!isMainThread) {
  runWorker();
} else {
  runHost();
}

function runHost() {
  const fs = require('fs');
  const path = require('path');
  const MAX_IDLE = 16; // idle workers kept per function
  const INIT_MS = 10000; // extra allowance for a cold worker to load the function
  const pools = new Map(); // key -> { mtime, idle: [] }
  const running = new Map(); // invocation id -> its worker (for cancel and ack messages)

  // Replies: fd 3, opened by the gateway (src/replies.rs).
  const replies = new (require('net').Socket)({ fd: 3, readable: false, writable: true });
  replies.on('error', () => process.exit(0));
  function send(obj) {
    replies.write(JSON.stringify(obj) + '\n');
  }

  function indexMtime(file) {
    try { return fs.statSync(file).mtimeMs; } catch (_) { return -1; }
  }

  function getPool(file, memoryMb) {
    const key = file + '\0' + memoryMb;
    const mtime = indexMtime(file);
    let pool = pools.get(key);
    if (pool && pool.mtime !== mtime) {
      // index.js changed: drop the warm workers so new calls load the new code.
      for (const w of pool.idle) w.terminate();
      pool = null;
    }
    if (!pool) {
      pool = { mtime, idle: [] };
      pools.set(key, pool);
    }
    return pool;
  }

  function spawn(file, memoryMb) {
    const worker = new Worker(__filename, {
      workerData: { file },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(16, Math.floor(memoryMb / 4))) },
      // Function logs go to the gateway's stderr.
      stdout: true,
      stderr: true,
    });
    const toStderr = (chunk) => process.stderr.write(chunk);
    worker.stdout.on('data', toStderr);
    worker.stderr.on('data', toStderr);
    worker.current = null; // in-flight invocation: { id, timer }
    worker.dead = false;
    worker.unref();
    const finish = (reply) => {
      const cur = worker.current;
      if (!cur) return;
      worker.current = null;
      running.delete(cur.id);
      clearTimeout(cur.timer);
      reply.id = cur.id;
      send(reply);
    };
    worker.on('message', (msg) => {
      const cur = worker.current;
      if (!cur || msg.id !== cur.id) return;
      if (msg.started) {
        restartTimer(cur);
        return;
      }
      if (msg.stream) {
        cur.stream = true;
        if (cur.cancelled) startGrace(worker, cur);
        else send(msg);
        return;
      }
      if (msg.chunk !== undefined) {
        if (cur.cancelled) return; // nobody is listening any more
        // The time limit applies to each wait for the function's next event, not to a client
        // that is slow to read (a full window pauses the clock until it acknowledges).
        if (++cur.unacked < WINDOW) restartTimer(cur);
        else { clearTimeout(cur.timer); cur.timer = null; }
        send(msg);
        return;
      }
      finish(msg);
      if (!worker.dead) {
        const pool = pools.get(worker.poolKey);
        if (pool === worker.pool && pool.idle.length < MAX_IDLE) pool.idle.push(worker);
        else { worker.dead = true; worker.terminate(); }
      }
    });
    worker.on('error', (err) => {
      worker.dead = true;
      if (err && err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish({ ok: false, code: 'FUNCTION_MEMORY_LIMIT_EXCEEDED', message: 'function exceeded its memory limit of ' + memoryMb + ' MB' });
      } else {
        finish({ ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: (err && err.message) || String(err) });
      }
    });
    worker.on('exit', (code) => {
      worker.dead = true;
      finish({ ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: 'function process exited with code ' + code });
      const pool = pools.get(worker.poolKey);
      if (pool) {
        const i = pool.idle.indexOf(worker);
        if (i >= 0) pool.idle.splice(i, 1);
      }
    });
    return worker;
  }

  function invoke(msg) {
    const file = path.join(msg.dir, 'index.js');
    const memoryMb = msg.memoryMb || 128;
    const pool = getPool(file, memoryMb);
    let worker = null;
    let cold = false;
    while (pool.idle.length) {
      const w = pool.idle.pop();
      if (!w.dead) { worker = w; break; }
    }
    if (!worker) {
      cold = true;
      worker = spawn(file, memoryMb);
      worker.pool = pool;
      worker.poolKey = file + '\0' + memoryMb;
    }
    const timeoutMs = msg.timeoutMs || 3000;
    const onTimeout = () => {
      const cur = worker.current;
      if (!cur || cur.id !== msg.id) return;
      const waiting = cur.stream ? ' waiting for its next event' : '';
      kill(worker, { ok: false, code: 'FUNCTION_TIME_LIMIT_EXCEEDED', message: 'function exceeded its time limit of ' + timeoutMs + ' ms' + waiting });
    };
    // A cold worker first loads the code: allow INIT_MS for that, then the
    // worker reports "started" and the time limit proper begins.
    const timer = setTimeout(onTimeout, cold ? timeoutMs + INIT_MS : timeoutMs);
    worker.current = { id: msg.id, timer, timeoutMs, onTimeout, stream: false, cancelled: false, unacked: 0 };
    running.set(msg.id, worker);
    worker.postMessage({ id: msg.id, event: msg.event, context: msg.context });
  }

  function restartTimer(cur) {
    clearTimeout(cur.timer);
    cur.timer = setTimeout(cur.onTimeout, cur.timeoutMs);
  }

  // Ends the worker's invocation with `reply` and terminates the worker.
  function kill(worker, reply) {
    const cur = worker.current;
    worker.current = null;
    running.delete(cur.id);
    clearTimeout(cur.timer);
    worker.dead = true;
    worker.terminate();
    reply.id = cur.id;
    send(reply);
  }

  function startGrace(worker, cur) {
    clearTimeout(cur.timer);
    cur.timer = setTimeout(() => {
      if (worker.current !== cur) return;
      kill(worker, { ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: 'the client went away and the function did not stop within ' + CANCEL_GRACE_MS + ' ms' });
    }, CANCEL_GRACE_MS);
  }

  // cancel: the client went away. Only a stream is stopped; a plain invocation runs to its end as
  // before. ack: the gateway handed one event to the client's socket.
  function control(msg) {
    const worker = running.get(msg.id);
    const cur = worker && worker.current;
    if (!cur || cur.id !== msg.id) return;
    if (msg.cancel) {
      if (cur.cancelled) return;
      cur.cancelled = true;
      if (cur.stream) startGrace(worker, cur);
    } else {
      cur.unacked--;
      if (cur.timer === null && !cur.cancelled && cur.unacked < WINDOW) restartTimer(cur);
    }
    worker.postMessage(msg);
  }

  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line) continue;
      let msg;
      try { msg = JSON.parse(line); } catch (e) { continue; }
      if (msg.cancel || msg.ack) {
        control(msg);
        continue;
      }
      try {
        invoke(msg);
      } catch (e) {
        send({ id: msg.id, ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: (e && e.message) || String(e) });
      }
    }
  });
  // The gateway went away (even if it was killed): leave too.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  send({ id: 0, ok: true, type: 'ready', body: String(process.pid) });
}
