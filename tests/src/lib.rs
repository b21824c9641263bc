//! Helpers of the EDU24 system tests: the `edu24` binary as real OS processes, free
//! ports, readiness waits, PostgreSQL databases and a cookie-keeping HTTP client.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `edu24` binary under test: `EDU24_BIN`, else the workspace's debug build.
pub fn edu24_bin() -> PathBuf {
    if let Ok(p) = std::env::var("EDU24_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/edu24");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p edu24-gateway` first (the test command does)",
        bin.display()
    );
    bin
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A running `edu24` process; killed (SIGKILL) when dropped.
pub struct Proc {
    pub name: String,
    child: Option<Child>,
    pub log: PathBuf,
}

impl Proc {
    /// Starts `edu24 <args>` with `env` added to a clean EDU24 environment.
    pub fn start(name: &str, args: &[&str], env: &[(&str, String)], log_dir: &Path) -> Proc {
        let log = log_dir.join(format!("{name}.log"));
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
        let mut cmd = Command::new(edu24_bin());
        cmd.args(args).stdout(file.try_clone().unwrap()).stderr(file).stdin(Stdio::null());
        for (k, _) in std::env::vars() {
            if k.starts_with("EDU24_") && k != "EDU24_BIN" {
                cmd.env_remove(k);
            }
        }
        cmd.env("EDU24_LOG", "info,sqlx=warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap_or_else(|e| panic!("starting edu24 {args:?}: {e}"));
        Proc { name: name.to_owned(), child: Some(child), log }
    }

    /// Kills the process at once (SIGKILL): no shutdown code runs.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Asks the process to stop (SIGTERM) and waits for it.
    pub fn terminate(&mut self) {
        if let Some(mut c) = self.child.take() {
            unsafe_sigterm(c.id());
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Runs `edu24 <args>` to completion; panics with its output when it fails.
    pub fn run_to_end(args: &[&str], env: &[(&str, String)]) -> String {
        let mut cmd = Command::new(edu24_bin());
        cmd.args(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("EDU24_") && k != "EDU24_BIN" {
                cmd.env_remove(k);
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "edu24 {args:?} failed:\n{text}");
        text
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn unsafe_sigterm(pid: u32) {
    let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits until `url` answers 200, or panics after `secs` with the process log.
pub async fn wait_ready(url: &str, secs: u64, proc: &Proc) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(r) = client.get(url).send().await
            && r.status().is_success()
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} not ready at {url} after {secs} s; log:\n{}",
            proc.name,
            proc.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls `check` until it is true or `secs` pass.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "not within {secs} s: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// An HTTP client that keeps cookies and does not follow redirects.
pub fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// The hidden CSRF token of a form page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a form with a csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Logs in through the portal's form; returns the response of the POST.
pub async fn portal_login(
    client: &reqwest::Client,
    base: &str,
    lang: &str,
    login: &str,
    password: &str,
) -> reqwest::Response {
    let page = client.get(format!("{base}/{lang}/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    client
        .post(format!("{base}/{lang}/login"))
        .form(&[("csrf", csrf.as_str()), ("login", login), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// Counts rows of `table` in the database at `url`.
pub async fn count(url: &str, sql: &str) -> i64 {
    use sqlx::Row;
    let db = edu24_shared::db::Db::connect(url).await.unwrap();
    let n: i64 = sqlx::query(sql).fetch_one(db.pool()).await.unwrap().get(0);
    db.close().await;
    n
}

/// What the benchmark programs (`src/bin/bench-*`) share.
pub mod bench {
    /// The `p` quantile (0 to 1) of `v`, sorted in place; 0 when empty.
    pub fn pct(v: &mut [f64], p: f64) -> f64 {
        v.sort_by(|a, b| a.total_cmp(b));
        if v.is_empty() {
            return 0.0;
        }
        v[((v.len() as f64 - 1.0) * p).round() as usize]
    }

    /// A wrk duration (`850.00us`, `1.20ms`, `2.00s`) in milliseconds.
    pub fn to_ms(s: &str) -> f64 {
        let n: f64 = s.trim_end_matches(|c: char| c.is_alphabetic()).parse().unwrap_or(f64::NAN);
        if s.ends_with("us") {
            n / 1000.0
        } else if s.ends_with("ms") {
            n
        } else if s.ends_with('s') {
            n * 1000.0
        } else {
            n
        }
    }

    /// Runs `wrk` (Debian package) with `args` (which should include `--latency`);
    /// (requests/s, p50 ms, p99 ms). Any non-2xx answer is an error.
    pub fn wrk(args: &[&str]) -> anyhow::Result<(f64, f64, f64)> {
        let out = std::process::Command::new("wrk")
            .args(args)
            .output()
            .map_err(|e| anyhow::anyhow!("wrk is needed (apt-get install wrk): {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        anyhow::ensure!(!text.contains("Non-2xx"), "{}: non-2xx answers\n{text}", args.join(" "));
        let field = |key: &str| {
            text.lines().find_map(|l| {
                let l = l.trim();
                l.strip_prefix(key).map(|r| r.split_whitespace().next().unwrap_or("").to_owned())
            })
        };
        let rps: f64 = field("Requests/sec:").unwrap_or_default().parse()?;
        Ok((rps, to_ms(&field("50%").unwrap_or_default()), to_ms(&field("99%").unwrap_or_default())))
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn durations_and_quantiles() {
            assert_eq!(super::to_ms("850.00us"), 0.85);
            assert_eq!(super::to_ms("1.50ms"), 1.5);
            assert_eq!(super::to_ms("2.00s"), 2000.0);
            let mut v = vec![5.0, 1.0, 3.0, 2.0, 4.0];
            assert_eq!((super::pct(&mut v, 0.0), super::pct(&mut v, 0.5), super::pct(&mut v, 1.0)), (1.0, 3.0, 5.0));
            assert_eq!(super::pct(&mut [], 0.5), 0.0);
        }
    }
}
