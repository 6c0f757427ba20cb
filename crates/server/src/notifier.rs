//! Text messages to applicants, such as verification codes. A centre connects its SMS gateway
//! here. Without one, the log notes each message's masked recipient and length, never its text:
//! a verification code must not reach any log (ADR 0031). With `--sms-outbox FILE` the messages
//! are appended to that file, one JSON object a line, which is how a demo or a browser test reads
//! its code.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use onewindow_store::now_ms;
use serde::Serialize;

#[derive(Clone, Debug, Default)]
pub enum Notifier {
    #[default]
    Log,
    Outbox(Arc<PathBuf>),
}

/// One line of the outbox file.
#[derive(Serialize)]
struct OutboxLine<'a> {
    at_ms: i64,
    /// The masked number: the outbox is for development, and keeps no personal data.
    to: &'a str,
    text: &'a str,
}

impl Notifier {
    pub fn outbox(path: PathBuf) -> Notifier {
        Notifier::Outbox(Arc::new(path))
    }

    /// Sends `text` to the phone whose masked number is `to`.
    pub async fn send_sms(&self, to: &str, text: &str) -> std::io::Result<()> {
        tracing::info!(
            to,
            chars = text.chars().count(),
            "text message (development notifier)"
        );
        let Notifier::Outbox(path) = self else {
            return Ok(());
        };
        let mut line = serde_json::to_vec(&OutboxLine {
            at_ms: now_ms(),
            to,
            text,
        })?;
        line.push(b'\n');
        let path = Arc::clone(path);
        // One write of one short line to a file opened for appending: lines never interleave.
        tokio::task::spawn_blocking(move || {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path.as_path())?
                .write_all(&line)
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Everything logged, at every level, into one buffer.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn no_log_at_any_level_holds_a_messages_text() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap()
                .block_on(Notifier::Log.send_sms("138****0001", "验证码 314159"))
                .unwrap();
        });
        let logged = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(logged.contains("138****0001"), "{logged}");
        assert!(!logged.contains("314159"), "{logged}");
    }

    #[tokio::test]
    async fn the_outbox_gets_one_json_line_per_message() {
        let dir = std::env::temp_dir().join(format!("onewindow-outbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("sms.jsonl");
        let notifier = Notifier::outbox(file.clone());
        notifier
            .send_sms("138****0001", "验证码 111111")
            .await
            .unwrap();
        notifier
            .send_sms("138****0002", "验证码 222222")
            .await
            .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["to"], "138****0002");
        assert_eq!(lines[1]["text"], "验证码 222222");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
