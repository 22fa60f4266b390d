//! The user's own overrides: a TOML file of `[[override]]` entries that beat every other piece
//! of evidence.
//!
//! ```toml
//! [[override]]
//! purl = "pkg:maven/com.acme/*"     # `*` matches any run of characters
//! vendor = "cisco"                  # a data/vendors id ...
//! reason = "supplier contract 2026-17"
//!
//! [[override]]
//! cpe_vendor = "acme"
//! vendor_name = "Acme Networks GmbH" # ... or a name the data does not know
//! country = "DE"
//! source = "supplier declaration, contract 2026-114"
//! ```
//!
//! The format is documented once, in data/README.md ("Overrides"), with the example file
//! `docs/overrides.example.toml` that a test loads.

use crate::data::Registry;
use serde::Deserialize;

/// One override: at least one matcher (`purl`, `cpe_vendor`, `name`) and at least one answer
/// (`vendor`, `vendor_name`, `country`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    #[serde(default)]
    pub purl: Option<String>,
    #[serde(default)]
    pub cpe_vendor: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub vendor_name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Where the fact comes from (a contract, a supplier declaration), shown in the evidence.
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default, rename = "override")]
    overrides: Vec<Override>,
}

/// The overrides of one file, in file order (the first match wins).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub path: String,
    pub entries: Vec<Override>,
}

/// Why an overrides file was refused.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OverridesError {
    pub path: String,
    pub message: String,
}

impl Overrides {
    /// Reads and checks an overrides file against the registry.
    pub fn load(path: &std::path::Path, reg: &Registry) -> Result<Overrides, OverridesError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| OverridesError {
            path: shown.clone(),
            message: format!("cannot read: {e}"),
        })?;
        Overrides::parse(&shown, &text, reg)
    }

    /// Parses overrides text; `path` is only used in messages.
    pub fn parse(path: &str, text: &str, reg: &Registry) -> Result<Overrides, OverridesError> {
        let err = |message: String| OverridesError {
            path: path.to_string(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| err(e.to_string().replace('\n', " ")))?;
        for (i, o) in file.overrides.iter().enumerate() {
            let n = i + 1;
            if o.purl.is_none() && o.cpe_vendor.is_none() && o.name.is_none() {
                return Err(err(format!(
                    "override {n}: needs purl, cpe_vendor or name to match"
                )));
            }
            if o.vendor.is_none() && o.vendor_name.is_none() && o.country.is_none() {
                return Err(err(format!(
                    "override {n}: needs vendor, vendor_name or country"
                )));
            }
            if let Some(v) = &o.vendor {
                if reg.by_id(v).is_none() {
                    return Err(err(format!("override {n}: vendor '{v}' is not in the data (use vendor_name for others)")));
                }
            }
            if let Some(c) = &o.country {
                if !reg.is_country(c) {
                    return Err(err(format!(
                        "override {n}: '{c}' is not an ISO 3166-1 alpha-2 code"
                    )));
                }
            }
        }
        Ok(Overrides {
            path: path.to_string(),
            entries: file.overrides,
        })
    }

    /// The first override matching a component, with its 1-based position.
    pub fn find(
        &self,
        purl: Option<&str>,
        cpe_vendors: &[String],
        name: &str,
    ) -> Option<(usize, &Override)> {
        self.entries.iter().enumerate().find_map(|(i, o)| {
            let purl_ok = o
                .purl
                .as_deref()
                .is_none_or(|p| purl.is_some_and(|x| wildcard(p, x)));
            let cpe_ok = o
                .cpe_vendor
                .as_deref()
                .is_none_or(|v| cpe_vendors.iter().any(|c| c.eq_ignore_ascii_case(v)));
            let name_ok = o
                .name
                .as_deref()
                .is_none_or(|n| wildcard(&n.to_lowercase(), &name.to_lowercase()));
            (purl_ok && cpe_ok && name_ok).then_some((i + 1, o))
        })
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(p) => rest = &rest[p + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_loads() {
        let reg = Registry::embedded().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let o = Overrides::load(&root.join("docs/overrides.example.toml"), &reg).unwrap();
        assert!(o.entries.len() >= 3);
        // data/README.md shows the same file.
        let readme = std::fs::read_to_string(root.join("data/README.md")).unwrap();
        let example = std::fs::read_to_string(root.join("docs/overrides.example.toml")).unwrap();
        let block = readme
            .split("```toml\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .find(|b| b.contains("[[override]]"))
            .unwrap();
        assert_eq!(block.trim(), example.trim());
    }

    #[test]
    fn bad_overrides_name_the_entry() {
        let reg = Registry::embedded().unwrap();
        let e = Overrides::parse("o.toml", "[[override]]\nname = \"x\"\n", &reg).unwrap_err();
        assert!(
            e.to_string().contains("o.toml: override 1: needs vendor"),
            "{e}"
        );
        let e = Overrides::parse("o.toml", "[[override]]\ntable = \"vendor\"\n", &reg).unwrap_err();
        assert!(e.to_string().contains("table"), "{e}");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard(
            "pkg:maven/com.acme/*",
            "pkg:maven/com.acme/core@1.0"
        ));
        assert!(!wildcard(
            "pkg:maven/com.acme/*",
            "pkg:maven/com.acmex/core@1.0"
        ));
        assert!(wildcard("*busybox*", "pkg:generic/busybox@1.36"));
        assert!(wildcard("exact", "exact"));
        assert!(!wildcard("exact", "exactly"));
        assert!(wildcard("a*b*c", "aXXbYYc"));
        assert!(!wildcard("a*b*c", "aXXcYYb"));
    }
}
