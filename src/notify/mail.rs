//! Mail: through the site's SMTP relay (STARTTLS, implicit TLS, or plain for a relay on
//! loopback; with a password when a user is set) or a local sendmail. The subject is
//! one line of outside text, which lettre encodes as a header; the Message-ID carries
//! the delivery's idempotency key, so a message sent twice after a crash is one
//! message to a mailbox that keeps Message-IDs.

use super::outbound::{Link, Secrets};
use crate::config::{SmtpConfig, SmtpSecurity};
use crate::domain::page::Delivery;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SendmailTransport, SmtpTransport, Transport};
use std::time::Duration;

pub fn send(
    smtp: &SmtpConfig,
    secrets: &Secrets,
    d: &Delivery,
    links: &[Link],
    timeout: Duration,
) -> Result<(), String> {
    let message = message(smtp, d, links)?;
    if smtp.host.is_empty() {
        if smtp.sendmail.is_empty() {
            return Err(
                "mail is not set up: set [pager.smtp] host, or sendmail for a local one".into(),
            );
        }
        return SendmailTransport::new_with_command(&smtp.sendmail)
            .send(&message)
            .map_err(|e| format!("sendmail {}: {e}", smtp.sendmail));
    }
    let builder = match smtp.security {
        SmtpSecurity::Starttls => SmtpTransport::starttls_relay(&smtp.host),
        SmtpSecurity::Tls => SmtpTransport::relay(&smtp.host),
        SmtpSecurity::None => Ok(SmtpTransport::builder_dangerous(&smtp.host)),
    }
    .map_err(|e| format!("SMTP relay {}: {e}", smtp.host))?;
    let mut builder = builder.port(smtp.port).timeout(Some(timeout));
    if !smtp.username.is_empty() {
        let password = secrets.smtp_password.clone().ok_or(
            "[pager.smtp] username is set but no password (password_file or WATCHFLOOR_SMTP_PASSWORD)",
        )?;
        builder = builder.credentials(Credentials::new(smtp.username.clone(), password));
    }
    builder
        .build()
        .send(&message)
        .map(drop)
        .map_err(|e| format!("SMTP relay {}:{}: {e}", smtp.host, smtp.port))
}

fn message(smtp: &SmtpConfig, d: &Delivery, links: &[Link]) -> Result<Message, String> {
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e| format!("[pager.smtp] from '{}': {e}", smtp.from))?;
    let to: Mailbox = d
        .target
        .parse()
        .map_err(|e| format!("'{}' is not a mail address: {e}", d.target))?;
    let domain = smtp.from.rsplit_once('@').map_or("watchfloor", |(_, d)| d);
    let domain = domain.trim_end_matches('>');
    Message::builder()
        .from(from)
        .to(to)
        .subject(format!(
            "[watchfloor] {}",
            crate::domain::sanitize_line(&d.subject)
        ))
        .message_id(Some(format!("<{}@{domain}>", d.idempotency_key)))
        .header(ContentType::TEXT_PLAIN)
        .body(super::chat::mail_text(d, links))
        .map_err(|e| format!("cannot build the mail: {e}"))
}
