//! A client-side Leptos app calling CloudBase functions with cloudbase-fn's Rust client
//! (`client-web`): a typed call on load, and a button that calls a missing function to show a
//! typed error. The gateway is the page's `?gateway=` (the emulator in tests); a real app sets
//! `.env_id("my-env-1a2b3c")` and a token (`.access_token(..)` or `.token_provider(..)`).

use cloudbase_fn::client::ErrorKind;
use cloudbase_fn::Client;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Greeting {
    name: String,
}

#[derive(Deserialize)]
struct Echoed {
    name: String,
}

fn gateway() -> String {
    let search = window().location().search().unwrap_or_default();
    search.strip_prefix("?gateway=").map(String::from).unwrap_or_else(|| String::from("http://127.0.0.1:8787"))
}

#[component]
fn App() -> impl IntoView {
    let client = Client::builder().base_url(gateway()).build().expect("gateway URL");
    let (echo, set_echo) = signal(String::from("calling…"));
    let (error, set_error) = signal(String::new());

    let on_load = client.clone();
    spawn_local(async move {
        let reply: Result<Echoed, _> = on_load.invoke("echo", &Greeting { name: "Leptos".into() }).await;
        set_echo.set(match reply {
            Ok(r) => format!("echo says hello to {}", r.name),
            Err(e) => format!("failed: {e}"),
        });
    });

    let call_missing = move |_| {
        let client = client.clone();
        spawn_local(async move {
            match client.invoke::<serde_json::Value, _>("no-such-fn", &serde_json::json!({})).await {
                Ok(_) => set_error.set(String::from("unexpected success")),
                Err(e) if e.kind() == ErrorKind::FunctionNotFound => {
                    set_error.set(format!("{} {} {}", e.name(), e.code(), e.status().unwrap_or(0)))
                }
                Err(e) => set_error.set(format!("other error: {e}")),
            }
        });
    };

    view! {
        <h1>"cloudbase-fn + Leptos"</h1>
        <p id="echo">{echo}</p>
        <button id="missing" on:click=call_missing>"Call a missing function"</button>
        <p id="error">{error}</p>
    }
}

fn main() {
    mount_to_body(App);
}
