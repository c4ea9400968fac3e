//! The function runtime's life: workers and hosts that die, signals to the emulator, code that
//! changes while it runs.

mod common;

use common::*;
use std::time::{Duration, Instant};

#[test]
fn worker_exit_fails_only_that_call() {
    let emu = Emu::start(test_functions(), &[]);
    for _ in 0..2 {
        let v = emu.post("/v1/functions/exit", "{}").assert_error(400, "FUNCTION_INVOCATION_FAILED");
        assert!(v["message"].as_str().unwrap().contains("exited"), "{v}");
    }
    assert_eq!(emu.post("/v1/functions/echo", "{}").status, 200);
}

#[test]
fn host_crash_fails_in_flight_calls_and_recovers() {
    let emu = Emu::start(test_functions(), &["--faults"]);
    assert_eq!(emu.post("/v1/functions/echo", "{}").status, 200);
    let pid1 = emu.stats()["hostPid"].as_u64().unwrap();
    let port = emu.port;
    let slow = std::thread::spawn(move || {
        Conn::open(port).send("POST", "/v1/functions/slow", &[], br#"{"ms":3000}"#).unwrap()
    });
    emu.wait_stats("the slow call running", |s| s["running"] == 1);
    emu.post("/v1/functions/crash", "{}").assert_error(400, "FUNCTION_INVOCATION_FAILED");
    // Failed by the crash: the function itself would have answered 200 after its 3 s.
    slow.join().unwrap().assert_error(400, "FUNCTION_INVOCATION_FAILED");
    // Later calls get a fresh host.
    assert_eq!(emu.post("/v1/functions/echo", r#"{"after":1}"#).json(), json!({"after":1}));
    let pid2 = emu.stats()["hostPid"].as_u64().unwrap();
    assert_ne!(pid1, pid2);
    assert!(!std::path::Path::new(&format!("/proc/{pid1}")).exists() || is_zombie(pid1));
}

/// Waits (3 s at most) for the runtime host `pid` to have exited: gone, or a zombie.
fn wait_until_gone(pid: u64) {
    let t = Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() && !is_zombie(pid) {
        assert!(t.elapsed() < Duration::from_secs(3), "runtime host {pid} still running");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn is_zombie(pid: u64) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map(|s| s.contains(") Z ")).unwrap_or(true)
}

#[test]
fn sigterm_exits_cleanly_and_stops_the_host() {
    let mut emu = Emu::examples(&["--faults"]);
    let pid = emu.stats()["hostPid"].as_u64().unwrap();
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    let ok = std::process::Command::new("kill").arg("-TERM").arg(emu.child.id().to_string()).status().unwrap();
    assert!(ok.success());
    let status = emu.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    wait_until_gone(pid);
}

#[test]
fn sigkill_of_the_emulator_does_not_leak_the_host() {
    let mut emu = Emu::examples(&["--faults"]);
    let pid = emu.stats()["hostPid"].as_u64().unwrap();
    emu.child.kill().unwrap();
    emu.child.wait().unwrap();
    wait_until_gone(pid);
}

#[test]
fn code_and_config_changes_are_picked_up() {
    let dir = std::env::temp_dir().join(format!("cbfn-emu-reload-{}", std::process::id()));
    let f = dir.join("live");
    std::fs::create_dir_all(&f).unwrap();
    std::fs::write(f.join("index.js"), "exports.main = () => 'v1'").unwrap();
    let emu = Emu::start(dir.clone(), &[]);
    assert_eq!(emu.post("/v1/functions/live", "{}").text(), "v1");
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(f.join("index.js"), "exports.main = (e, c) => ({ v: 2, t: c.timeoutMs })").unwrap();
    std::fs::write(f.join("config.json"), r#"{"timeoutMs": 1234}"#).unwrap();
    assert_eq!(emu.post("/v1/functions/live", "{}").json(), json!({"v": 2, "t": 1234}));
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}
