//! Child processes that cannot outlive a test.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A child process started in its own process group; dropping it stops the whole group
/// (wrangler starts workerd, chromedriver starts chromium).
#[derive(Debug)]
pub struct Guarded {
    name: String,
    child: Option<Child>,
}

impl Guarded {
    /// Starts `command` as `name`, its output inherited so failures show in the test log.
    pub fn spawn(name: &str, mut command: Command) -> Result<Self> {
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("could not start {name} ({command:?})"))?;
        Ok(Guarded { name: name.to_string(), child: Some(child) })
    }

    /// Waits until `port` on 127.0.0.1 accepts connections.
    pub async fn wait_for_port(&mut self, port: u16, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!("{} exited before listening on port {port}: {status}", self.name);
            }
            if Instant::now() > deadline {
                bail!("{} did not listen on port {port} within {timeout:?}", self.name);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGTERM to the group, SIGKILL after three seconds.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let group = format!("-{}", child.id());
        signal("TERM", &group);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever the leader left behind in its group goes too.
        signal("KILL", &group);
        let _ = child.wait();
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.stop();
    }
}

fn signal(signal: &str, group: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", group])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}
