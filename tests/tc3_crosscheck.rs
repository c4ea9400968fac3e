//! Cross-check of `contract::tc3` against Tencent's own signer, `@cloudbase/signature-nodejs`
//! (`Signer.tc3sign`), run in Node on fixed inputs. The gateway (`/v1/...` paths) is signed in
//! its `isCloudApi: true` mode, which is what `@cloudbase/js-sdk`'s Node adapter uses for every
//! path but `/admin`; the header is then completed as that adapter does
//! (`, Timestamp=<ts>[, Token=<token>]`). The default "tcbapi" mode (only for `/admin`) is
//! checked to differ, so a mix-up of modes cannot pass unnoticed.
#![cfg(all(feature = "tc3", not(target_arch = "wasm32")))]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use cloudbase_fn::contract::jwt::push_json_string;
use cloudbase_fn::contract::tc3::{self, Payload, SignInput};

struct Case {
    method: &'static str,
    host: &'static str,
    path: &'static str,
    query: &'static str,
    content_type: &'static str,
    extra: Vec<(&'static str, &'static str)>,
    body: &'static str,
    timestamp: u64,
    service: &'static str,
    secret_id: &'static str,
    secret_key: &'static str,
    token: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let base = || Case {
        method: "POST",
        host: "my-env-1a2b3c.api.tcloudbasegateway.com",
        path: "/v1/functions/echo",
        query: "",
        content_type: "application/json",
        extra: vec![],
        body: r#"{"a":1,"b":2}"#,
        timestamp: 1_734_682_357,
        service: tc3::SERVICE,
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        token: None,
    };
    vec![
        base(),
        Case {
            token: Some("SessionTokenABC123+/="),
            ..base()
        },
        Case { body: "", ..base() },
        Case {
            query: "webfn=true&x=1",
            ..base()
        },
        Case {
            path: "/v1/functions/my-fn_2",
            timestamp: 1_735_689_599,
            ..base()
        }, // 23:59:59 UTC
        Case {
            timestamp: 1_735_689_600,
            ..base()
        }, // next day
        Case {
            timestamp: 951_782_400,
            ..base()
        }, // 2000-02-29
        Case {
            host: "127.0.0.1:8787",
            ..base()
        },
        Case {
            content_type: "application/json; charset=utf-8",
            ..base()
        },
        Case {
            body: r#"{"text":"中文 \"quoted\" \\ back","n":[1,2.5,null,true],"o":{"k":"v"}}"#,
            ..base()
        },
        Case {
            service: "scf",
            secret_key: "another/secret+key==",
            secret_id: "AKIDother",
            ..base()
        },
        Case {
            // The headers @cloudbase/js-sdk 3.7.0's Node adapter signs on a gateway call.
            extra: vec![
                ("X-Request-Id", "3f2c9a4e-1b7d-4c8e-9f00-5a6b7c8d9e0f"),
                ("X-SDK-Version", "@cloudbase/js-sdk/3.7.0"),
                ("User-Agent", "adapter-node/@cloudbase/js-sdk/3.7.0"),
                ("X-TCB-Source", ",not_scf"),
                ("X-Client-Timestamp", "1734682357123"),
                ("X-TCB-Region", "ap-shanghai"),
            ],
            content_type: "application/json; charset=utf-8",
            token: Some("tmp-token"),
            ..base()
        },
        Case {
            extra: vec![("X-Qualifier", "$LATEST"), ("x-tcb-webfn", "true")],
            ..base()
        },
    ]
}

const SCRIPT: &str = r#"
const { Signer } = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const c of cases) {
  const headers = { 'content-type': c.contentType, host: c.host };
  for (const [k, v] of c.extra) headers[k] = v;
  const url = 'https://' + c.host + c.path + (c.query ? '?' + c.query : '');
  const params = c.body === '' ? '' : JSON.parse(c.body);
  const signer = new Signer({ secretId: c.secretId, secretKey: c.secretKey }, c.service);
  const cloud = signer.tc3sign(c.method, url, headers, params, c.timestamp, { isCloudApi: true });
  let auth = cloud.authorization + ', Timestamp=' + cloud.timestamp;
  if (typeof c.token === 'string' && c.token !== '') auth += ', Token=' + c.token;
  const tcbapi = signer.tc3sign(c.method, url, headers, params === '' ? {} : params, c.timestamp, {});
  console.log(auth);
  console.log(tcbapi.signature);
}
"#;

fn to_json(cases: &[Case]) -> String {
    let mut s = String::from("[");
    for (i, c) in cases.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let field = |s: &mut String, k: &str, v: &str| {
            push_json_string(s, k);
            s.push(':');
            push_json_string(s, v);
            s.push(',');
        };
        s.push('{');
        field(&mut s, "method", c.method);
        field(&mut s, "host", c.host);
        field(&mut s, "path", c.path);
        field(&mut s, "query", c.query);
        field(&mut s, "contentType", c.content_type);
        field(&mut s, "body", c.body);
        field(&mut s, "service", c.service);
        field(&mut s, "secretId", c.secret_id);
        field(&mut s, "secretKey", c.secret_key);
        if let Some(t) = c.token {
            field(&mut s, "token", t);
        }
        s.push_str("\"extra\":[");
        for (j, (k, v)) in c.extra.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            s.push('[');
            push_json_string(&mut s, k);
            s.push(',');
            push_json_string(&mut s, v);
            s.push(']');
        }
        s.push_str("],\"timestamp\":");
        s.push_str(&c.timestamp.to_string());
        s.push('}');
    }
    s.push(']');
    s
}

#[test]
fn matches_cloudbase_signature_nodejs() {
    let module =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/@cloudbase/signature-nodejs");
    if !module.join("lib/signer.js").is_file() {
        eprintln!(
            "SKIPPED: {} is not installed (npm install)",
            module.display()
        );
        return;
    }
    let cases = cases();
    let mut child = Command::new(std::env::var("NODE").unwrap_or_else(|_| "node".into()))
        .arg("-e")
        .arg(SCRIPT)
        .arg(&module)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(to_json(&cases).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), cases.len() * 2, "{stdout}");

    for (i, c) in cases.iter().enumerate() {
        let input = SignInput {
            method: c.method,
            host: c.host,
            path: c.path,
            query: c.query,
            content_type: c.content_type,
            extra_headers: &c.extra,
            payload: Payload::Bytes(c.body.as_bytes()),
            timestamp: c.timestamp,
            service: c.service,
            secret_id: c.secret_id,
            secret_key: c.secret_key,
            session_token: c.token,
        };
        let ours = tc3::sign(&input);
        assert_eq!(ours, lines[2 * i], "case {i}");
        // Same result from a precomputed body hash.
        let hash = tc3::sha256_hex(c.body.as_bytes());
        assert_eq!(
            tc3::sign(&SignInput {
                payload: Payload::Sha256Hex(&hash),
                ..input
            }),
            ours,
            "case {i}"
        );
        // The /admin ("tcbapi") mode signs something else.
        assert_ne!(tc3::signature(&input), lines[2 * i + 1], "case {i}");
    }
}
