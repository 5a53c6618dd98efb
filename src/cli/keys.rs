//! `watchfloor keys`: the console's effective key bindings — the shipped ones with the
//! config's `[keys]` applied — with the names the config uses.

use crate::app::error::AppError;
use crate::app::paths::Paths;
use crate::config::Config;
use crate::config::keymap::Keymap;

#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    /// Print a JSON array of {context, action, keys, description}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub style: super::table::TextStyle,
}

pub fn run(args: KeysArgs, paths: &Paths) -> Result<(), AppError> {
    let config = Config::load(
        paths.explicit_config.as_deref(),
        paths.default_config.as_deref(),
    )?;
    let (keymap, conflicts) = Keymap::with_overrides(&config.keys);
    let mut listing = keymap.listing();
    // Actions the config unbound, so the list says so rather than forget them.
    for (context, actions) in &config.keys {
        for (action, keys) in actions {
            if keys.is_empty() {
                listing.push((*context, *action, String::new()));
            }
        }
    }
    if args.json {
        let rows: Vec<_> = listing
            .iter()
            .map(|(context, action, keys)| {
                serde_json::json!({
                    "context": context,
                    "action": action,
                    "keys": keys.split('/').filter(|k| !k.is_empty()).collect::<Vec<_>>(),
                    "description": action.description(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(rows));
    } else {
        let rows: Vec<Vec<String>> = listing
            .iter()
            .map(|(context, action, keys)| {
                vec![
                    context.to_string(),
                    action.to_string(),
                    if keys.is_empty() {
                        "(unbound)".to_string()
                    } else {
                        keys.clone()
                    },
                    action.description().to_string(),
                ]
            })
            .collect();
        super::table::print(
            args.style,
            &["CONTEXT", "ACTION", "KEYS", "DOES"],
            &rows,
            &[],
        );
    }
    for conflict in &conflicts {
        eprintln!("watchfloor: config [keys]: {conflict}");
    }
    Ok(())
}
