//! The emulator for the Rust client's tests: the shared one of the test suite (`EMULATOR_URL`),
//! or one of the test's own.

#![allow(dead_code)] // each test file uses its part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An emulator of our own, killed on drop.
pub struct Emu {
    child: Child,
    pub url: String,
}

impl Emu {
    pub fn start(extra: &[&str]) -> Emu {
        let bin = std::env::var("CLOUDBASE_FN_EMULATOR_BIN")
            .unwrap_or_else(|_| root().join("target/debug/cloudbase-fn-emulator").display().to_string());
        let mut child = Command::new(&bin)
            .args(["--port", "0", "--functions"])
            .arg(root().join("examples/functions"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {bin} (build it with cargo build -p cloudbase-fn-emulator): {e}"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("listening on ").expect("first line").to_string();
        Emu { child, url }
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shared emulator of the test suite, or one of our own (with `--faults`).
pub fn url() -> String {
    static OWN: Mutex<Option<Emu>> = Mutex::new(None);
    if let Ok(url) = std::env::var("EMULATOR_URL") {
        return url;
    }
    let mut own = OWN.lock().unwrap();
    own.get_or_insert_with(|| Emu::start(&["--faults"])).url.clone()
}
