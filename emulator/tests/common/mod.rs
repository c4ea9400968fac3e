//! Test helpers: start the emulator binary and talk to it with a tiny
//! hand-written HTTP/1.1 client over TcpStream.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub use serde_json::{json, Value};

pub fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/functions")
}

pub fn test_functions() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/functions")
}

pub struct Emu {
    pub child: Child,
    pub port: u16,
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Emu {
    /// Starts the emulator on an ephemeral port with `--functions dir` plus `extra` flags.
    pub fn start(dir: PathBuf, extra: &[&str]) -> Emu {
        Emu::start_env(dir, extra, &[])
    }

    /// `start` with extra environment variables for the emulator.
    pub fn start_env(dir: PathBuf, extra: &[&str], env: &[(&str, &str)]) -> Emu {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cloudbase-fn-emulator"))
            .envs(env.iter().copied())
            .arg("--port")
            .arg("0")
            .arg("--functions")
            .arg(dir)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn emulator");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).expect("first line");
        let line = line.trim_end();
        let prefix = "listening on http://127.0.0.1:";
        assert!(line.starts_with(prefix), "unexpected first line: {line:?}");
        let port = line[prefix.len()..].parse().expect("port");
        Emu {
            child,
            port,
            _stdout: out,
        }
    }

    pub fn examples(extra: &[&str]) -> Emu {
        Emu::start(examples(), extra)
    }

    pub fn conn(&self) -> Conn {
        Conn::open(self.port)
    }

    pub fn post(&self, path: &str, body: &str) -> Resp {
        self.req("POST", path, &[], body.as_bytes())
    }

    pub fn post_json(&self, name: &str, body: Value) -> Resp {
        self.post(&format!("/v1/functions/{name}"), &body.to_string())
    }

    pub fn req(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        self.conn()
            .send(method, path, headers, body)
            .expect("request")
    }

    pub fn stats(&self) -> Value {
        self.req("GET", "/__emulator/stats", &[], b"").json()
    }

    /// Waits until the stats satisfy `ready` (what a test would otherwise sleep for: a call in
    /// flight, a client's leaving seen); fails after 10 s.
    pub fn wait_stats(&self, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
        let t = std::time::Instant::now();
        loop {
            let s = self.stats();
            if ready(&s) {
                return s;
            }
            assert!(t.elapsed() < std::time::Duration::from_secs(10), "never {what}: {s}");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }
    pub fn request_id(&self) -> &str {
        self.header("x-request-id").expect("X-Request-Id header")
    }
    /// Asserts a contract error: status, code, JSON content type, id == header.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "status for {code}: {}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"));
        let v = self.json();
        assert_eq!(v["code"], code, "{v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        assert_eq!(v["requestId"].as_str(), Some(self.request_id()), "{v}");
        v
    }
}

pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
            }
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

pub struct Conn {
    pub r: BufReader<TcpStream>,
}

impl Conn {
    pub fn open(port: u16) -> Conn {
        let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            r: BufReader::new(s),
        }
    }

    pub fn write_request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<()> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            && (method == "POST" || !body.is_empty())
        {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let s = self.r.get_mut();
        s.write_all(head.as_bytes())?;
        s.write_all(body)
    }

    pub fn read_head(&mut self) -> std::io::Result<(u16, Vec<(String, String)>)> {
        let mut line = String::new();
        if self.r.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "closed before status line",
            ));
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            self.r.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').expect("header line");
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        Ok((status, headers))
    }

    pub fn read_response(&mut self, method: &str) -> std::io::Result<Resp> {
        let (status, headers) = self.read_head()?;
        let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let mut body = Vec::new();
        if method == "HEAD" || status == 204 || status == 304 {
        } else if let Some(len) = get("content-length") {
            body.resize(len.parse().unwrap(), 0);
            self.r.read_exact(&mut body)?;
        } else if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            loop {
                let mut l = String::new();
                self.r.read_line(&mut l)?;
                let n = usize::from_str_radix(l.trim(), 16).expect("chunk size");
                let mut chunk = vec![0; n + 2];
                self.r.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            self.r.read_to_end(&mut body)?;
        }
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    /// One chunk of a chunked body (`None` for the last, empty one), read as soon as it arrives.
    pub fn read_chunk(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut l = String::new();
        if self.r.read_line(&mut l)? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed mid-body"));
        }
        let n = usize::from_str_radix(l.trim(), 16).expect("chunk size");
        let mut chunk = vec![0; n + 2];
        self.r.read_exact(&mut chunk)?;
        chunk.truncate(n);
        Ok((n > 0).then_some(chunk))
    }

    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Resp> {
        self.write_request(method, path, headers, body)?;
        self.read_response(method)
    }
}

/// A TC3 `Authorization` value for `POST {path}` to the emulator (Host 127.0.0.1, a JSON body),
/// signed at `timestamp` with `secret_id` / `secret_key`.
pub fn tc3_post(path: &str, body: &[u8], secret_id: &str, secret_key: &str, timestamp: u64) -> String {
    use cloudbase_fn::contract::tc3::{self, Payload, SignInput};
    tc3::sign(&SignInput {
        method: "POST",
        host: "127.0.0.1",
        path,
        query: "",
        content_type: "application/json",
        extra_headers: &[],
        payload: Payload::Bytes(body),
        timestamp,
        service: tc3::SERVICE,
        secret_id,
        secret_key,
        session_token: None,
    })
}
