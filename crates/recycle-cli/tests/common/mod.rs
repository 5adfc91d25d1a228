//! Running the built `recycle` binary against an in-process simulator.

#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use recycle_conformance::SimEnv;
use recycle_sim::SimConfig;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {}", self.stdout))
    }
}

/// A simulator and helpers to look at it ([`SimEnv`]), and a folder for the test's files.
pub struct Env {
    base: SimEnv,
    dir: PathBuf,
}

impl std::ops::Deref for Env {
    type Target = SimEnv;
    fn deref(&self) -> &SimEnv {
        &self.base
    }
}

impl Env {
    pub fn new() -> Self {
        Self::with(SimConfig::new(7))
    }

    pub fn with(config: SimConfig) -> Self {
        let base = SimEnv::with(config);
        let dir = std::env::temp_dir().join(format!(
            "recycle-cli-test-{}-{}",
            std::process::id(),
            base.sim.addr().port()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self { base, dir }
    }

    /// Writes `contents` to a file in this test's folder.
    pub fn file(&self, name: &str, contents: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, contents).expect("write");
        path.to_string_lossy().into_owned()
    }

    /// Runs `recycle --base-url <sim> ARGS` as `who` (token in WEBEX_TOKEN; `None`: no token).
    pub fn run(&self, who: Option<&str>, args: &[&str]) -> Output {
        self.run_with_stdin(who, args, None)
    }

    pub fn run_with_stdin(&self, who: Option<&str>, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_recycle"));
        cmd.arg("--base-url").arg(self.sim.base_url()).args(args);
        cmd.env_remove("WEBEX_TOKEN").env_remove("WEBEX_BASE_URL");
        if let Some(who) = who {
            cmd.env("WEBEX_TOKEN", self.token(who));
        }
        run(cmd, stdin)
    }
}

impl Env {
    /// Starts `recycle --base-url <sim> ARGS` as `who` without waiting for it.
    pub fn spawn(&self, who: &str, args: &[&str]) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_recycle"))
            .arg("--base-url")
            .arg(self.sim.base_url())
            .args(args)
            .env_remove("WEBEX_BASE_URL")
            .env("WEBEX_TOKEN", self.token(who))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs")
    }

    /// Waits until the simulator's request log satisfies `done`, checking every 20 ms;
    /// fails the test after 20 s, naming `what` it waited for.
    pub fn wait_for(&self, what: &str, done: impl Fn(&[recycle_sim::LoggedRequest]) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !done(&self.sim.requests()) {
            assert!(
                std::time::Instant::now() < deadline,
                "waited 20 s in vain for: {what}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The path of a file in this test's folder.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
}

/// Sends `signal` (such as `INT`, `TERM`, `KILL`) to the process `pid`.
pub fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid}");
}

/// Waits for `child` and reads its output.
pub fn finish(child: std::process::Child) -> Output {
    let out = child.wait_with_output().expect("exit");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn run(mut cmd: Command, stdin: Option<&str>) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("exit");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The strings of a JSON array (nothing for anything else).
pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}
