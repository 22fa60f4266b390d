//! The purl and CPE readers of attribution, the URL host/owner helpers and the licence reader of
//! scoring, on any text. Where the `packageurl` crate accepts a purl, the borrowing reader must
//! read the same type, namespace and name (case-blind, as the rules match). A licence expression
//! the `spdx` crate parses strictly is never read as undeclared.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sbomrisk::attribution::{cpe, purl};
use std::str::FromStr;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let ours = purl::parse(s);
    let _ = cpe::parse(s);
    let _ = purl::host_of(s);
    let _ = purl::path_owner(s);
    let state = sbomrisk::score::licence::LicenceState::of(Some(s), &[]);
    let t = s.trim();
    let placeholder = t.eq_ignore_ascii_case("NONE") || t.eq_ignore_ascii_case("NOASSERTION");
    if !t.is_empty() && !placeholder && spdx::Expression::parse(t).is_ok() {
        assert_ne!(state, sbomrisk::score::licence::LicenceState::Undeclared);
    }
    if let Ok(r) = packageurl::PackageUrl::from_str(s.trim()) {
        let p = ours.expect("packageurl accepts it, so must the reader");
        let ty = if r.ty() == "alpine" { "apk" } else { r.ty() };
        assert_eq!(p.ty, ty);
        assert_eq!(
            p.namespace.map(|n| n.to_lowercase()),
            r.namespace()
                .filter(|n| !n.is_empty())
                .map(str::to_lowercase)
        );
        assert_eq!(p.name.to_lowercase(), r.name().to_lowercase());
    }
});
