'use strict';
// cloudbase-fn-emulator runtime host.
//
// One long-lived Node process, started by the Rust gateway. Protocol over
// stdin/stdout: newline-delimited JSON, one message per line.
//   in : {"id":N,"dir":"/abs/fn/folder","timeoutMs":3000,"memoryMb":128,
//         "context":{...},"event":{...}}
//   out: {"id":N,"ok":true,"type":"json"|"text","body":"<string>"}
//        {"id":N,"ok":false,"code":"FUNCTION_...","message":"..."}
// Each invocation runs in a worker thread taken from a warm per-function pool
// (a worker serves one invocation at a time and is reused afterwards). Workers
// that time out are terminated; workers that die (OOM, process.exit, uncaught
// error) are replaced on the next call.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (!isMainThread) {
  runWorker();
} else {
  runHost();
}

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
  parentPort.on('message', async (msg) => {
    await ready;
    if (first) {
      // Cold start done: the time limit counts from here.
      first = false;
      parentPort.postMessage({ id: msg.id, started: true });
    }
    if (loadError) {
      parentPort.postMessage({ id: msg.id, ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: 'failed to load function: ' + errMessage(loadError) });
      return;
    }
    let out;
    try {
      const value = await main(msg.event, msg.context);
      if (typeof value === 'string') {
        out = { id: msg.id, ok: true, type: 'text', body: value };
      } else {
        const body = value === undefined ? 'null' : JSON.stringify(value);
        out = { id: msg.id, ok: true, type: 'json', body: body === undefined ? 'null' : body };
      }
    } catch (e) {
      out = { id: msg.id, ok: false, code: 'FUNCTION_INVOCATION_FAILED', message: errMessage(e) };
    }
    parentPort.postMessage(out);
  });
}

function runHost() {
  const fs = require('fs');
  const path = require('path');
  const MAX_IDLE = 16; // idle workers kept per function
  const INIT_MS = 10000; // extra allowance for a cold worker to load the function
  const pools = new Map(); // key -> { mtime, idle: [] }

  function send(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
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
      // Function logs must not reach the protocol stream on stdout.
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
      clearTimeout(cur.timer);
      reply.id = cur.id;
      send(reply);
    };
    worker.on('message', (msg) => {
      const cur = worker.current;
      if (!cur || msg.id !== cur.id) return;
      if (msg.started) {
        clearTimeout(cur.timer);
        cur.timer = setTimeout(cur.onTimeout, cur.timeoutMs);
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
      if (!worker.current || worker.current.id !== msg.id) return;
      const id = msg.id;
      worker.current = null;
      worker.dead = true;
      worker.terminate();
      send({ id, ok: false, code: 'FUNCTION_TIME_LIMIT_EXCEEDED', message: 'function exceeded its time limit of ' + timeoutMs + ' ms' });
    };
    // A cold worker first loads the code: allow INIT_MS for that, then the
    // worker reports "started" and the time limit proper begins.
    const timer = setTimeout(onTimeout, cold ? timeoutMs + INIT_MS : timeoutMs);
    worker.current = { id: msg.id, timer, timeoutMs, onTimeout };
    worker.postMessage({ id: msg.id, event: msg.event, context: msg.context });
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
  process.stdout.on('error', () => process.exit(0));
  send({ id: 0, ok: true, type: 'ready', body: String(process.pid) });
}
