//! Mail: through the site's SMTP relay (STARTTLS required, implicit TLS, or plain for a
//! relay on loopback; with a password when a user is set) or a local sendmail. The subject is
//! one line of outside text, which lettre encodes as a header; the Message-ID carries
//! the delivery's idempotency key, so a message sent twice after a crash is one
//! message to a mailbox that keeps Message-IDs.

use super::outbound::{Link, Secrets};
use crate::config::{SmtpConfig, SmtpSecurity};
use crate::domain::page::Delivery;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
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
    let mut builder = SmtpTransport::builder_dangerous(&smtp.host);
    if smtp.security != SmtpSecurity::None {
        let params = tls_parameters(smtp)?;
        builder = builder.tls(match smtp.security {
            SmtpSecurity::Tls => Tls::Wrapper(params),
            _ => Tls::Required(params),
        });
    }
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

/// The relay's name checked against its certificate, trusting the system's roots and,
/// for a relay with a private authority, `ca_file`'s.
fn tls_parameters(smtp: &SmtpConfig) -> Result<TlsParameters, String> {
    let mut params = TlsParameters::builder(smtp.host.clone());
    if !smtp.ca_file.is_empty() {
        let pem = std::fs::read(&smtp.ca_file)
            .map_err(|e| format!("[pager.smtp] ca_file '{}': {e}", smtp.ca_file))?;
        let ca = Certificate::from_pem(&pem)
            .map_err(|e| format!("[pager.smtp] ca_file '{}': {e}", smtp.ca_file))?;
        params = params.add_root_certificate(ca);
    }
    params
        .build_rustls()
        .map_err(|e| format!("TLS for {}: {e}", smtp.host))
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
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(format!(
            "[watchfloor] {}",
            crate::domain::sanitize_line(&d.subject)
        ))
        .message_id(Some(format!("<{}@{domain}>", d.idempotency_key)));
    let text = super::chat::mail_text(d, links);
    let built = match &d.attachment {
        None => builder.header(ContentType::TEXT_PLAIN).body(text),
        Some((name, content)) => {
            use lettre::message::{Attachment, MultiPart, SinglePart};
            let csv = ContentType::parse("text/csv; charset=utf-8")
                .map_err(|e| format!("cannot build the mail: {e}"))?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(text))
                    .singlepart(Attachment::new(name.clone()).body(content.clone(), csv)),
            )
        }
    };
    built.map_err(|e| format!("cannot build the mail: {e}"))
}
