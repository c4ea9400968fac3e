// Starts a real cloudbase-fn-emulator for a test file and stops it afterwards.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../../", import.meta.url));

export function emulatorBinary() {
  if (process.env.CLOUDBASE_FN_EMULATOR_BIN) return process.env.CLOUDBASE_FN_EMULATOR_BIN;
  // Otherwise the most recently built one, so a stale build of the other profile is never used.
  const candidates = [`${root}target/debug/cloudbase-fn-emulator`, `${root}target/emulator/cloudbase-fn-emulator`];
  const found = candidates.filter((p) => existsSync(p)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!found) throw new Error(`emulator binary not found (tried ${candidates.join(", ")}); run scripts/test.sh`);
  return found;
}

/** Start an emulator on an ephemeral port; resolves to { url, stop }. */
export async function startEmulator(args = ["--faults"]) {
  const child = spawn(emulatorBinary(), ["--port", "0", "--functions", `${root}examples/functions`, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("emulator did not start within 15 s")), 15_000);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      m ? resolve(m[1]) : reject(new Error(`unexpected emulator output: ${line}`));
    });
  });
  lines.on("line", () => {}); // keep draining stdout
  // Never keep a test process alive for the emulator's sake (a failed before() hook would
  // otherwise hang the file instead of failing it); it is killed when the process exits.
  child.unref();
  child.stdout.unref?.();
  process.once("exit", () => child.kill("SIGKILL"));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.ref(); // keep the loop alive until it has exited
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { url, stop, child };
}

/** How many function requests the emulator has received (fault mode only). */
export async function requestCount(url) {
  const res = await fetch(`${url}/__emulator/stats`);
  return (await res.json()).requests;
}
