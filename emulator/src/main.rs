//! cloudbase-fn-emulator: a local stand-in for the CloudBase cloud-function
//! gateway (`POST /v1/functions/{name}`). See README.md.

mod auth;
mod body;
mod faults;
mod gateway;
mod replies;
mod request;
mod respond;
mod runtime;
mod sse;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};

use gateway::{Config, State};

const USAGE: &str = "\
usage: cloudbase-fn-emulator [--port 8787] [--host 127.0.0.1] [--functions ./functions]
                             [--token T]... [--faults] [--auth] [--token-ttl SECONDS]
                             [--secret-id ID --secret-key KEY] [--publishable-key K]... [--deny-anonymous]
                             [--read-timeout SECONDS]

  --port N         port to listen on (0 = ephemeral; default 8787)
  --host H         address to bind (default 127.0.0.1)
  --functions DIR  folder of functions: DIR/<name>/index.js, DIR/<name>@<qualifier>/index.js
  --token T        require Authorization: Bearer T (repeatable; any listed token is accepted)
  --faults         enable the built-in fault functions and /__emulator/{stats,reset}
  --auth           serve POST /auth/v1/signin/anonymously and /auth/v1/token and accept the
                   access tokens they issue (expired: 401 ACCESS_TOKEN_EXPIRED)
  --token-ttl S    lifetime of issued access tokens in seconds (default 7200; 0 = already expired)
  --secret-id ID   with --secret-key: accept TC3-HMAC-SHA256 signed calls made with this key pair
  --secret-key KEY (wrong or more than 5 minutes stale: 401 SIGN_PARAM_INVALID)
  --publishable-key K  accept Bearer K as a publishable key (anonymous-user rights; repeatable)
  --deny-anonymous the gateway's default policy: anonymous users' tokens (from --auth) and
                   publishable keys get 403 ACTION_FORBIDDEN (FunctionsHttpApiAllow not granted)
  --read-timeout S close a connection whose client sends nothing for S seconds while a request
                   head or body is due, idle keep-alive connections included (default 30)

The first line on stdout is `listening on http://<host>:<port>`.
Env: CLOUDBASE_FN_EMULATOR_NODE = node binary (default: `node` from PATH).";

/// How long a client may send nothing while a request head (or the next one, on an idle
/// keep-alive connection) or body is due: hyper's own server default.
const DEFAULT_READ_TIMEOUT_S: u64 = 30;

struct Args {
    port: u16,
    host: String,
    functions: PathBuf,
    tokens: Vec<String>,
    faults: bool,
    auth: bool,
    token_ttl: u64,
    publishable: Vec<String>,
    deny_anonymous: bool,
    secret_id: Option<String>,
    secret_key: Option<String>,
    read_timeout_s: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        port: 8787,
        host: "127.0.0.1".into(),
        functions: PathBuf::from("./functions"),
        tokens: Vec::new(),
        faults: false,
        auth: false,
        token_ttl: auth::DEFAULT_TTL_S,
        publishable: Vec::new(),
        deny_anonymous: false,
        secret_id: None,
        secret_key: None,
        read_timeout_s: DEFAULT_READ_TIMEOUT_S,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" | "-p" => a.port = value("--port")?.parse().map_err(|_| "--port must be 0..65535".to_string())?,
            "--host" => a.host = value("--host")?,
            "--functions" | "-f" => a.functions = PathBuf::from(value("--functions")?),
            "--token" => a.tokens.push(value("--token")?),
            "--faults" => a.faults = true,
            "--auth" => a.auth = true,
            "--publishable-key" => a.publishable.push(value("--publishable-key")?),
            "--deny-anonymous" => a.deny_anonymous = true,
            "--token-ttl" => {
                a.token_ttl =
                    value("--token-ttl")?.parse().map_err(|_| "--token-ttl must be a number of seconds".to_string())?
            }
            "--read-timeout" => {
                a.read_timeout_s = value("--read-timeout")?
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| "--read-timeout must be a whole number of seconds, at least 1".to_string())?
            }
            "--secret-id" => a.secret_id = Some(value("--secret-id")?).filter(|v| !v.is_empty()),
            "--secret-key" => a.secret_key = Some(value("--secret-key")?).filter(|v| !v.is_empty()),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if a.secret_id.is_some() != a.secret_key.is_some() {
        return Err("--secret-id and --secret-key go together (both non-empty)".into());
    }
    Ok(a)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let code = rt.block_on(run(args));
    std::process::exit(code);
}

async fn run(args: Args) -> i32 {
    let functions = std::fs::canonicalize(&args.functions).unwrap_or_else(|_| {
        eprintln!("warning: functions folder {} does not exist", args.functions.display());
        args.functions.clone()
    });
    let runtime = match runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot write the runtime host script: {e}");
            return 1;
        }
    };
    let host: std::net::IpAddr = match args.host.trim_matches(['[', ']']).parse() {
        Ok(h) => h,
        Err(_) if args.host == "localhost" => [127, 0, 0, 1].into(),
        Err(_) => {
            eprintln!("error: --host must be an IP address");
            return 2;
        }
    };
    let listener = match TcpListener::bind(SocketAddr::new(host, args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", args.host, args.port);
            return 1;
        }
    };
    let mut auth = auth::Auth::new(args.auth, args.token_ttl, args.secret_id.zip(args.secret_key));
    auth.publishable = args.publishable;
    auth.deny_anonymous = args.deny_anonymous;
    let state = Arc::new(State::new(
        Config {
            functions,
            tokens: args.tokens,
            faults: args.faults,
            auth,
            read_timeout: Duration::from_secs(args.read_timeout_s),
        },
        runtime,
    ));
    // Start the Node host now so the first call is warm(er).
    if let Err(e) = state.runtime.start() {
        eprintln!("warning: {e}; JavaScript functions will fail until node is available");
    }

    for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
        let mut sig = match signal(kind) {
            Ok(s) => s,
            Err(_) => continue,
        };
        let state = state.clone();
        tokio::spawn(async move {
            sig.recv().await;
            state.runtime.kill();
            std::process::exit(0);
        });
    }

    let addr = listener.local_addr().expect("local addr");
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }

    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            Err(_) => {
                // e.g. EMFILE: back off briefly instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        let read_timeout = Duration::from_secs(args.read_timeout_s);
        tokio::spawn(async move {
            let svc = service_fn(move |req| gateway::handle(state.clone(), req));
            // A stalled head, or an idle keep-alive connection (hyper times the wait for the next
            // head), is closed: otherwise it holds its socket for ever. Bodies: src/request.rs.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}
