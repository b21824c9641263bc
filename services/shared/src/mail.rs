//! Outgoing e-mail, delivered like events: a service writes a message into its
//! `mail_outbox` table in the same transaction as the change that causes it, and a relay
//! delivers it afterwards, by SMTP (`EDU24_SMTP_URL`, e.g. smtp://relay:25, a relay inside
//! the cluster) or, in the embedded default, as `.eml` files in `<data>/mail/` that a
//! person can open. A message is marked sent only after delivery; a crash re-sends at
//! most the message in flight.
//!
//! Each service's migrations create
//! `mail_outbox (id TEXT PRIMARY KEY, to_address TEXT, subject TEXT, body TEXT, created_at BIGINT, sent_at BIGINT NULL, attempts BIGINT)`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Row;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use crate::db::{Db, WriteTx};

/// Queues a message inside the caller's transaction.
pub async fn mail_queue(tx: &mut WriteTx, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, to_address, subject, body, created_at, attempts) VALUES ($1, $2, $3, $4, $5, 0)",
    )
    .bind(crate::time::new_id())
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(crate::time::now_ms())
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub enum MailTransport {
    /// host, port
    Smtp(String, u16),
    Directory(PathBuf),
}

impl MailTransport {
    /// `EDU24_SMTP_URL` when set, else the `mail` folder of the data folder.
    pub fn from_env(data_dir: &std::path::Path) -> anyhow::Result<MailTransport> {
        match crate::config::env("EDU24_SMTP_URL") {
            Some(url) => {
                let rest = url
                    .strip_prefix("smtp://")
                    .ok_or_else(|| anyhow::anyhow!("EDU24_SMTP_URL must look like smtp://host:25"))?;
                let (host, port) = rest.trim_end_matches('/').rsplit_once(':').unwrap_or((rest, "25"));
                Ok(MailTransport::Smtp(host.to_owned(), port.parse()?))
            }
            None => Ok(MailTransport::Directory(data_dir.join("mail"))),
        }
    }
}

/// A message as RFC 5322 text (UTF-8 body, encoded subject).
pub fn message_text(from: &str, to: &str, subject: &str, body: &str, id: &str) -> String {
    use base64::Engine as _;
    let subject = format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(subject));
    let date =
        ::time::OffsetDateTime::now_utc().format(&::time::format_description::well_known::Rfc2822).unwrap_or_default();
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@edu24>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
}

fn address(s: &str) -> &str {
    s.rsplit_once('<').map(|(_, a)| a.trim_end_matches('>')).unwrap_or(s).trim()
}

/// Sends one message over plain SMTP (RFC 5321) to a relay.
pub async fn smtp_send(host: &str, port: u16, from: &str, to: &str, text: &str) -> anyhow::Result<()> {
    let stream = tokio::time::timeout(Duration::from_secs(10), TcpStream::connect((host, port))).await??;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    async fn expect(
        lines: &mut tokio::io::Lines<BufReader<tokio::net::tcp::OwnedReadHalf>>,
        code: &str,
    ) -> anyhow::Result<()> {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
                .await??
                .ok_or_else(|| anyhow::anyhow!("SMTP closed"))?;
            if !line.starts_with(code) {
                anyhow::bail!("SMTP answered {line:?}, expected {code}");
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    }
    expect(&mut lines, "220").await?;
    for (cmd, code) in [
        ("EHLO edu24\r\n".to_owned(), "250"),
        (format!("MAIL FROM:<{}>\r\n", address(from)), "250"),
        (format!("RCPT TO:<{}>\r\n", address(to)), "250"),
        ("DATA\r\n".to_owned(), "354"),
    ] {
        write.write_all(cmd.as_bytes()).await?;
        expect(&mut lines, code).await?;
    }
    // Dot-stuffing (RFC 5321 4.5.2), then the end of data.
    let stuffed: String = text
        .split("\r\n")
        .map(|l| if l.starts_with('.') { format!(".{l}") } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\r\n");
    write.write_all(stuffed.as_bytes()).await?;
    write.write_all(b"\r\n.\r\n").await?;
    expect(&mut lines, "250").await?;
    write.write_all(b"QUIT\r\n").await?;
    Ok(())
}

/// Delivers a service's queued mail.
#[derive(Clone)]
pub struct MailRelay {
    db: Db,
    transport: MailTransport,
    from: String,
    wake: Arc<Notify>,
}

impl MailRelay {
    pub fn new(db: Db, transport: MailTransport) -> Self {
        let from = crate::config::env_or("EDU24_MAIL_FROM", "EDU24 <no-reply@edu24.localhost>");
        Self { db, transport, from, wake: Arc::new(Notify::new()) }
    }

    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Delivers what is queued; returns how many messages went out.
    pub async fn drain(&self) -> anyhow::Result<usize> {
        let rows = sqlx::query("SELECT id, to_address, subject, body FROM mail_outbox WHERE sent_at IS NULL AND attempts < 20 ORDER BY id LIMIT 50")
            .fetch_all(self.db.pool())
            .await?;
        let mut sent = 0;
        for r in &rows {
            let (id, to, subject, body): (String, String, String, String) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let text = message_text(&self.from, &to, &subject, &body, &id);
            let result = match &self.transport {
                MailTransport::Smtp(host, port) => smtp_send(host, *port, &self.from, &to, &text).await,
                MailTransport::Directory(dir) => {
                    async {
                        tokio::fs::create_dir_all(dir).await?;
                        let tmp = dir.join(format!("{id}.eml.tmp"));
                        tokio::fs::write(&tmp, text.as_bytes()).await?;
                        tokio::fs::rename(&tmp, dir.join(format!("{id}.eml"))).await?;
                        Ok(())
                    }
                    .await
                }
            };
            match result {
                Ok(()) => {
                    sqlx::query("UPDATE mail_outbox SET sent_at = $2 WHERE id = $1")
                        .bind(&id)
                        .bind(crate::time::now_ms())
                        .execute(self.db.pool())
                        .await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(mail = %id, error = %e, "mail not delivered; will retry");
                    sqlx::query("UPDATE mail_outbox SET attempts = attempts + 1 WHERE id = $1")
                        .bind(&id)
                        .execute(self.db.pool())
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    pub async fn run(self) {
        loop {
            if let Err(e) = self.drain().await {
                tracing::warn!(error = %e, "mail relay failed; will retry");
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), self.wake.notified()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn smtp_delivery_speaks_the_protocol_and_stuffs_dots() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            let mut log = Vec::new();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            let mut in_data = false;
            while let Some(line) = lines.next_line().await.unwrap() {
                log.push(line.clone());
                if in_data {
                    if line == "." {
                        in_data = false;
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    }
                    continue;
                }
                let reply: &[u8] = if line.starts_with("EHLO") {
                    b"250-test\r\n250 8BITMIME\r\n"
                } else if line == "DATA" {
                    in_data = true;
                    b"354 go on\r\n"
                } else if line == "QUIT" {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                } else {
                    b"250 ok\r\n"
                };
                write.write_all(reply).await.unwrap();
            }
            log
        });
        let text =
            message_text("EDU24 <no-reply@edu24.test>", "a@b.kg", "Сырсөз / Пароль", "line one\n.dot line\nlast", "m1");
        smtp_send("127.0.0.1", port, "EDU24 <no-reply@edu24.test>", "a@b.kg", &text).await.unwrap();
        let log = server.await.unwrap();
        assert!(log.contains(&"MAIL FROM:<no-reply@edu24.test>".to_owned()));
        assert!(log.contains(&"RCPT TO:<a@b.kg>".to_owned()));
        assert!(log.contains(&"..dot line".to_owned()), "a leading dot is doubled: {log:?}");
        assert!(log.iter().any(|l| l.starts_with("Subject: =?UTF-8?B?")));
    }
}
