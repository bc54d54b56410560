//! Running commands: foreground steps that must succeed, and background services that
//! must never outlive xtask.

use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A command builder that reports what failed in terms a person can act on.
#[derive(Debug)]
pub(crate) struct Cmd {
    inner: Command,
    shown: String,
}

/// A command named `program`, run in `dir`.
pub(crate) fn cmd(program: &str, dir: &Path) -> Cmd {
    let mut inner = Command::new(program);
    inner.current_dir(dir);
    Cmd { inner, shown: program.to_string() }
}

impl Cmd {
    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.shown.push(' ');
            self.shown.push_str(&arg.as_ref().to_string_lossy());
            self.inner.arg(arg);
        }
        self
    }

    pub(crate) fn envs<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.inner.envs(vars);
        self
    }

    /// Runs to completion with inherited stdio; a non-zero exit is an error.
    pub(crate) fn status(mut self) -> Result<()> {
        println!("$ {}", self.shown);
        let status =
            self.inner.status().with_context(|| format!("could not start `{}`", self.shown))?;
        if !status.success() {
            bail!("`{}` failed ({status})", self.shown);
        }
        Ok(())
    }

    /// Runs to completion and returns stdout, or `None` if it cannot start or fails.
    pub(crate) fn output(mut self) -> Option<String> {
        let out = self.inner.stderr(Stdio::null()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Starts a long-running service in its own process group, so stopping it also
    /// stops whatever it started (wrangler starts workerd, trunk starts cargo).
    pub(crate) fn spawn_service(mut self, name: &str) -> Result<Service> {
        println!("$ {} &", self.shown);
        let child = self
            .inner
            .process_group(0)
            .spawn()
            .with_context(|| format!("could not start `{}`", self.shown))?;
        Ok(Service { name: name.to_string(), child: Some(child) })
    }
}

/// A background process group that is stopped when dropped.
#[derive(Debug)]
pub(crate) struct Service {
    name: String,
    child: Option<Child>,
}

impl Service {
    /// Whether the process has exited on its own (a crash or a port clash).
    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// SIGTERM to the whole group, then SIGKILL if it has not gone within five seconds.
    pub(crate) fn stop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let group = format!("-{}", child.id());
        signal_group("TERM", &group);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                // The leader is gone; make sure nothing it started lingers in the group.
                signal_group("KILL", &group);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        signal_group("KILL", &group);
        let _ = child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

fn signal_group(signal: &str, group: &str) {
    // `kill` from procps takes a negative pid as a process group; errors mean it is already gone.
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", group])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Waits until `addr` accepts TCP connections, or fails after `timeout`.
pub(crate) fn wait_for_port(addr: &str, timeout: Duration, service: &mut Service) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if std::net::TcpStream::connect(addr).is_ok() {
            return Ok(());
        }
        if let Some(status) = service.exited() {
            bail!("{} exited before it listened on {addr} ({status})", service.name());
        }
        if Instant::now() > deadline {
            bail!("{} did not listen on {addr} within {timeout:?}", service.name());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
