//! The demo's vendors: the CDN provider (round the clock, its contract's notice
//! deadline coming up so the stand-up says so) and the payment processor (office
//! hours in London), with a case for every wait of a ticket on their services.

use crate::domain::Timestamp;
use crate::domain::ticket::{Ticket, TicketState, TicketTransition};
use crate::domain::vendor::{SupportHours, Vendor, VendorCase, VendorTarget};
use chrono::Duration;

/// The vendors, and which service each stands behind.
pub fn vendors(now: Timestamp) -> Vec<(Vendor, &'static str)> {
    let today = now.date_naive();
    let targets = |rows: &[&str]| {
        rows.iter()
            .filter_map(|r| VendorTarget::parse(r).ok())
            .collect()
    };
    let mut cdn = Vendor::new("edgeworks-cdn");
    cdn.description = "The content delivery network behind the storefront".into();
    cdn.contact = "support@edgeworks.example, +44 20 7946 0000".into();
    cdn.targets = targets(&["P1=15m/4h", "P2=1h/8h", "P3=4h/3d", "P4=1d/5d"]);
    cdn.renewal_on = Some(today + Duration::days(75));
    cdn.notice_days = 60;
    let mut pay = Vendor::new("paycore");
    pay.description = "The card payment processor".into();
    pay.contact = "https://support.paycore.example".into();
    pay.support =
        SupportHours::parse("mon-fri 08:00-18:00 Europe/London").unwrap_or(SupportHours::Always);
    pay.targets = targets(&["P1=30m/8h", "P2=2h/2d", "P3=8h/5d"]);
    pay.renewal_on = Some(today + Duration::days(300));
    pay.notice_days = 90;
    vec![(cdn, "cdn"), (pay, "payments-gateway")]
}

/// A case for each time a ticket on a vendor's service waited (was pending): opened
/// when it started waiting, answered within the hour, ended when it resumed.
pub fn cases(
    vendors: &[(Vendor, &'static str)],
    tickets: &[Ticket],
    transitions: &[TicketTransition],
) -> Vec<VendorCase> {
    let mut out = Vec::new();
    for t in tickets {
        let Some((vendor, _)) = vendors
            .iter()
            .find(|(_, service)| t.service.as_deref() == Some(*service))
        else {
            continue;
        };
        let moves: Vec<&TicketTransition> =
            transitions.iter().filter(|m| m.ticket == t.key).collect();
        for (n, m) in moves.iter().enumerate() {
            if m.to != TicketState::Pending {
                continue;
            }
            let ended_at = moves.get(n + 1).map(|next| next.at);
            let reply = Duration::minutes(10 + (t.key.0 * 7) % 80);
            out.push(VendorCase {
                id: out.len() as i64 + 1,
                ticket: t.key,
                vendor: vendor.name.clone(),
                case_number: format!("{}-{}", &vendor.name[..3].to_uppercase(), 40_000 + t.key.0),
                priority: t.priority,
                opened_at: m.at,
                responded_at: Some(m.at + reply).filter(|r| ended_at.is_none_or(|e| *r < e)),
                ended_at,
                pauses_sla: true,
            });
        }
    }
    out
}
