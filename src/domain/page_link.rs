//! The links every page carries — acknowledge, escalate now, open — signed with the
//! site's secret (HMAC-SHA256), bound to one page, one person and one purpose, and
//! expiring. Whoever holds the link may do that one thing until it expires; changing
//! any part of it (another page, another action, a later expiry) breaks the signature.
//! Using it once is the store's to remember: the link's `id` is what it records.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

crate::string_enum! {
    pub enum LinkAction ("link action") {
        Acknowledge => "ack",
        Escalate => "escalate",
        Open => "open",
        Confirm => "confirm",
        Handoff => "handoff",
        Survey => "survey",
    }
}

/// What a link lets its holder do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub page: i64,
    pub action: LinkAction,
    /// The person paged: an acknowledgement through the link is theirs.
    pub person: String,
    /// Seconds since the epoch after which the link is refused.
    pub expires_at: i64,
    /// Makes two links of the same page, person and purpose differ.
    pub nonce: u64,
}

/// Why a link was refused. Each is answered with a 4xx and changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefusal {
    #[error("this is not a watchfloor page link")]
    Malformed,
    #[error("this link's signature does not match (it was changed, or made elsewhere)")]
    Forged,
    #[error("this link has expired")]
    Expired,
}

/// The shortest secret accepted: 32 bytes.
pub const MIN_SECRET_BYTES: usize = 32;

const VERSION: &str = "v1";

/// Bytes as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!())
}

impl PageLink {
    /// The signed part: every field, in a fixed order, in URL-safe characters.
    fn payload(&self) -> String {
        format!(
            "{VERSION}-{}-{}-{}-{}-{:x}",
            self.page,
            self.action,
            hex(self.person.as_bytes()),
            self.expires_at,
            self.nonce
        )
    }

    /// The token for the link's path (`/page/TOKEN`): the payload and its signature.
    pub fn sign(&self, secret: &[u8]) -> String {
        let payload = self.payload();
        let mut m = mac(secret);
        m.update(payload.as_bytes());
        format!("{payload}-{}", hex(&m.finalize().into_bytes()))
    }

    /// Reads a token back: refused when it is not one, when its signature does not
    /// match (checked in constant time), or when it has expired at `now`.
    pub fn verify(token: &str, secret: &[u8], now: i64) -> Result<PageLink, LinkRefusal> {
        if token.len() > 600 {
            return Err(LinkRefusal::Malformed);
        }
        let (payload, signature) = token.rsplit_once('-').ok_or(LinkRefusal::Malformed)?;
        let signature = unhex(signature).ok_or(LinkRefusal::Malformed)?;
        let parts: Vec<&str> = payload.split('-').collect();
        let [version, page, action, person, expires, nonce] = parts.as_slice() else {
            return Err(LinkRefusal::Malformed);
        };
        if *version != VERSION {
            return Err(LinkRefusal::Malformed);
        }
        let mut m = mac(secret);
        m.update(payload.as_bytes());
        m.verify_slice(&signature)
            .map_err(|_| LinkRefusal::Forged)?;
        // Signed by us, so well formed; parsed carefully all the same.
        let link = PageLink {
            page: page.parse().map_err(|_| LinkRefusal::Malformed)?,
            action: action.parse().map_err(|_| LinkRefusal::Malformed)?,
            person: unhex(person)
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or(LinkRefusal::Malformed)?,
            expires_at: expires.parse().map_err(|_| LinkRefusal::Malformed)?,
            nonce: u64::from_str_radix(nonce, 16).map_err(|_| LinkRefusal::Malformed)?,
        };
        if now >= link.expires_at {
            return Err(LinkRefusal::Expired);
        }
        Ok(link)
    }

    /// What the store records when the link is used, so it works once.
    pub fn id(&self) -> String {
        self.payload()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn link() -> PageLink {
        PageLink {
            page: 42,
            action: LinkAction::Acknowledge,
            person: "ana.silva".into(),
            expires_at: 1_800_003_600,
            nonce: 0xfeed,
        }
    }

    #[test]
    fn a_signed_link_reads_back_until_it_expires() {
        let token = link().sign(SECRET);
        assert!(token.starts_with("v1-42-ack-"), "{token}");
        assert!(
            token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "URL-safe"
        );
        assert_eq!(PageLink::verify(&token, SECRET, 1_800_000_000), Ok(link()));
        assert_eq!(
            PageLink::verify(&token, SECRET, 1_800_003_600),
            Err(LinkRefusal::Expired)
        );
    }

    #[test]
    fn a_changed_forged_or_foreign_link_is_refused() {
        let token = link().sign(SECRET);
        let now = 1_800_000_000;
        let other_action = token.replacen("-ack-", "-escalate-", 1);
        let other_page = token.replacen("v1-42-", "v1-43-", 1);
        let later = token.replacen("-1800003600-", "-1900003600-", 1);
        for changed in [other_action, other_page, later] {
            assert_eq!(
                PageLink::verify(&changed, SECRET, now),
                Err(LinkRefusal::Forged),
                "{changed}"
            );
        }
        let foreign = link().sign(b"another site's secret, 32 bytes!");
        assert_eq!(
            PageLink::verify(&foreign, SECRET, now),
            Err(LinkRefusal::Forged)
        );
        for junk in ["", "v1", "x-y-z", "v2-42-ack-61-1-1-00", &"a".repeat(5000)] {
            assert_eq!(
                PageLink::verify(junk, SECRET, now),
                Err(LinkRefusal::Malformed),
                "{junk}"
            );
        }
        let mut flipped = token.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            PageLink::verify(&String::from_utf8(flipped).unwrap(), SECRET, now),
            Err(LinkRefusal::Forged)
        );
    }

    #[test]
    fn two_links_for_the_same_purpose_differ_by_their_nonce() {
        let mut second = link();
        second.nonce += 1;
        assert_ne!(link().sign(SECRET), second.sign(SECRET));
        assert_ne!(link().id(), second.id());
    }
}
