//! `cargo xtask contract`: runs the tools other languages use on `schemas/openapi.json`:
//! openapi-spec-validator, `redocly lint` (recommended rules), openapi-typescript then `tsc`,
//! datamodel-code-generator then the example bodies, and schemathesis against the simulator
//! with a user's and an administrator's token. The tools are installed the first time, at
//! pinned versions, under `target/contract/` (a Python venv and an npm prefix).

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// Python tools, pinned.
const PIP: &[&str] = &[
    "openapi-spec-validator==0.9.0",
    "schemathesis==4.32.5",
    "datamodel-code-generator==0.89.0",
];
/// npm tools, pinned (redocly 2.77 still runs on Node 20).
const NPM: &[&str] = &[
    "@redocly/cli@2.77.0",
    "openapi-typescript@7.13.0",
    "typescript@5.9.3",
];
/// The checks schemathesis runs.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
response_headers_conformance,response_schema_conformance,negative_data_rejection";
/// The simulator's fixed "now", so that every run sees the same data.
const SIM_NOW: &str = "2026-06-01T00:00:00Z";

fn run(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("{what} failed ({}):\n{text}", out.status))
    }
}

/// Installs the pinned tools unless the installed ones are these.
fn install(dir: &Path) -> Result<(), String> {
    let marker = dir.join("installed.txt");
    let wanted = format!("{}\n{}\n", PIP.join(" "), NPM.join(" "));
    if fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!("installing the contract tools under {}", dir.display());
    let venv = dir.join("venv");
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
    )?;
    run(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PIP),
        "pip install",
    )?;
    run(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(dir.join("node"))
            .args(NPM),
        "npm install",
    )?;
    fs::write(&marker, wanted).map_err(|e| format!("{}: {e}", marker.display()))
}

/// The simulator binary, running until dropped.
struct Sim {
    child: Child,
    base_url: String,
    tokens: serde_json::Value,
}

impl Sim {
    fn start(root: &Path) -> Result<Self, String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        run(
            Command::new(cargo)
                .current_dir(root)
                .args(["build", "--quiet", "-p", "recycle-sim"]),
            "cargo build -p recycle-sim",
        )?;
        let child = Command::new(root.join("target/debug/recycle-sim"))
            .args([
                "--port",
                "0",
                "--seed",
                "7",
                "--recordings",
                "40",
                "--now",
                SIM_NOW,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("recycle-sim: {e}"))?;
        // Owned by the guard from here, so that it is stopped on every way out.
        let mut sim = Self {
            child,
            base_url: String::new(),
            tokens: serde_json::Value::Null,
        };
        let mut line = String::new();
        if let Some(out) = sim.child.stdout.take() {
            BufReader::new(out)
                .read_line(&mut line)
                .map_err(|e| format!("recycle-sim: {e}"))?;
        }
        let info: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| format!("recycle-sim printed {line:?}: {e}"))?;
        sim.base_url = info["baseUrl"].as_str().unwrap_or_default().to_owned();
        sim.tokens = info["identities"].clone();
        Ok(sim)
    }

    fn token(&self, name: &str) -> String {
        self.tokens
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["name"] == name)
            .and_then(|i| i["token"].as_str())
            .unwrap_or_default()
            .to_owned()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last non-empty line of a tool's output, for the summary.
fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

pub(crate) fn run_all(root: &Path) -> Result<(), String> {
    let dir = root.join("target/contract");
    install(&dir)?;
    let spec = root.join("schemas/openapi.json");
    let bin = |tool: &str| -> PathBuf { dir.join("node/node_modules/.bin").join(tool) };
    let py = |tool: &str| -> PathBuf { dir.join("venv/bin").join(tool) };
    let out = dir.join("out");
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut results: Vec<(String, Result<String, String>, f64)> = Vec::new();
    let mut step = |name: &str, f: &mut dyn FnMut() -> Result<String, String>| {
        let started = Instant::now();
        let result = f();
        let secs = started.elapsed().as_secs_f64();
        let slug: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let log = match &result {
            Ok(text) | Err(text) => text,
        };
        let _ = fs::write(out.join(format!("{slug}.log")), log);
        match &result {
            Ok(text) => eprintln!("ok    {name} ({secs:.1} s): {}", last_line(text)),
            Err(text) => eprintln!("FAIL  {name} ({secs:.1} s):\n{text}"),
        }
        results.push((name.to_owned(), result, secs));
    };

    step("openapi-spec-validator", &mut || {
        run(
            Command::new(py("openapi-spec-validator")).arg(&spec),
            "openapi-spec-validator",
        )
    });
    step("redocly lint (recommended)", &mut || {
        run(
            Command::new(bin("redocly"))
                .args(["lint", "--extends=recommended", "--format=stylish"])
                .arg(&spec)
                .env("REDOCLY_TELEMETRY", "off")
                .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
            "redocly lint",
        )
    });
    step("openapi-typescript + tsc --strict", &mut || {
        let ts = out.join("ts");
        fs::create_dir_all(&ts).map_err(|e| e.to_string())?;
        run(
            Command::new(bin("openapi-typescript"))
                .arg(&spec)
                .arg("-o")
                .arg(ts.join("openapi.d.ts")),
            "openapi-typescript",
        )?;
        fs::copy(root.join("xtask/contract/use.ts"), ts.join("use.ts"))
            .map_err(|e| e.to_string())?;
        run(
            Command::new(bin("tsc"))
                .args(["--noEmit", "--strict", "--target", "es2020"])
                .arg(ts.join("use.ts")),
            "tsc",
        )
        .map(|_| "use.ts type-checks against the generated types".to_owned())
    });
    step("datamodel-code-generator + example bodies", &mut || {
        let models = out.join("py");
        fs::create_dir_all(&models).map_err(|e| e.to_string())?;
        run(
            Command::new(py("datamodel-codegen"))
                .arg("--input")
                .arg(&spec)
                .args([
                    "--input-file-type",
                    "openapi",
                    "--output-model-type",
                    "pydantic_v2.BaseModel",
                    "--target-python-version",
                    "3.11",
                    "--formatters",
                    "builtin",
                    "--strict-refs",
                    "--output",
                ])
                .arg(models.join("models.py")),
            "datamodel-codegen",
        )?;
        run(
            Command::new(py("python"))
                .arg(root.join("xtask/contract/load_examples.py"))
                .arg(&models)
                .arg(root.join("schemas/examples")),
            "loading the examples",
        )
    });
    let sim = Sim::start(root)?;
    for who in ["alice", "admin"] {
        let token = sim.token(who);
        let report = out.join(format!("schemathesis-{who}"));
        step(&format!("schemathesis as {who}"), &mut || {
            run(
                Command::new(py("schemathesis"))
                    .current_dir(&out)
                    .arg("run")
                    .arg(&spec)
                    .args(["--url", &sim.base_url])
                    .args(["-H", &format!("Authorization: Bearer {token}")])
                    .args(["--checks", CHECKS])
                    .args(["--max-examples", "40", "--seed", "7"])
                    .args(["--generation-database", "none"])
                    .args(["--phases", "examples,coverage,fuzzing"])
                    .args(["--request-timeout", "5", "--no-color"])
                    .args(["--report", "junit", "--report-dir"])
                    .arg(&report),
                "schemathesis",
            )
        });
    }
    drop(sim);

    let failed: Vec<&str> = results
        .iter()
        .filter(|(_, r, _)| r.is_err())
        .map(|(n, _, _)| n.as_str())
        .collect();
    eprintln!(
        "\n{} of {} consumers accept schemas/openapi.json",
        results.len() - failed.len(),
        results.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("rejected by: {}", failed.join(", ")))
    }
}
