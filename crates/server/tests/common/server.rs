//! The real `onewindow serve` in a process of its own, on a free local port.

use std::process::Child;
use std::time::{Duration, Instant};

use super::cli::command;

/// One `onewindow serve`; SIGKILLed when dropped (`Child::kill` sends SIGKILL), so a failing
/// test leaves no process behind.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts `onewindow serve --listen … ARGS` on `database` and waits until `/readyz` answers.
    pub async fn start(database: &str, args: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let listen = format!("127.0.0.1:{port}");
        let child = command(database)
            .args(["serve", "--listen", &listen])
            .args(args)
            .spawn()
            .expect("start onewindow serve");
        let mut server = Server {
            child,
            base: format!("http://{listen}"),
        };
        let until = Instant::now() + Duration::from_secs(60);
        let probe = reqwest::Client::new();
        loop {
            if let Some(status) = server.child.try_wait().expect("server status") {
                panic!("onewindow serve exited with {status}");
            }
            if let Ok(r) = probe.get(format!("{}/readyz", server.base)).send().await
                && r.status().is_success()
            {
                return server;
            }
            assert!(
                Instant::now() < until,
                "{}/readyz never answered",
                server.base
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends SIGTERM and waits for a clean exit: requests in flight finish within the server's
    /// drain time (`serve::Limits`), and the writer flushes.
    pub fn terminate(mut self) {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("server status") {
                assert!(
                    status.success(),
                    "onewindow serve exited with {status} on SIGTERM"
                );
                return;
            }
            assert!(Instant::now() < until, "no exit 30 s after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
