//! The demo's audiences: the whole company for the worst incidents, the finance leads
//! for payments, and the payments team's chat channel — so the bridge's status update
//! form has someone to send to.

use crate::domain::audience::Audience;
use crate::domain::incident::Severity;
use crate::domain::org::Service;

pub fn audiences(services: &[Service]) -> Vec<Audience> {
    let known = |names: &[&str]| -> Vec<String> {
        names
            .iter()
            .filter(|n| services.iter().any(|s| s.name == **n))
            .map(|n| n.to_string())
            .collect()
    };
    let to = |targets: &[&str]| targets.iter().filter_map(|t| t.parse().ok()).collect();
    let mut all = Audience::new("all-staff");
    all.description = "Everyone, for the incidents the whole company feels".into();
    all.targets = to(&["email:all-staff@example.org"]);
    all.min_severity = Some(Severity::Sev1);
    let mut finance = Audience::new("finance-leads");
    finance.description = "Finance leads, for anything that stops payments".into();
    finance.targets = to(&["email:finance-leads@example.org"]);
    finance.services = known(&["payments-gateway", "checkout", "billing"]);
    finance.min_severity = Some(Severity::Sev2);
    let mut channel = Audience::new("payments-channel");
    channel.description = "The payments team's chat channel".into();
    channel.targets = to(&["mattermost:https://chat.example.org/hooks/payments-demo"]);
    channel.services = known(&["payments-gateway", "checkout"]);
    vec![all, finance, channel]
}
