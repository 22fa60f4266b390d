//! `cargo xtask gen-sbom`: a deterministic synthetic SBOM of a network product, for benchmarks
//! and scale tests (the real corpus has no file with 5,000+ components).
//!
//! The same content is written as CycloneDX 1.6 JSON, CycloneDX 1.6 XML, SPDX 2.3 JSON, and a
//! CycloneDX 1.5 JSON variant (no `address`, which 1.5 lacks) for crates that stop at 1.5, so the
//! formats can be compared on equal terms. Every component is a pure function of
//! `(seed, index)`, and the documents are written as a stream: memory stays small at 100k
//! components (~600 bytes each in CycloneDX JSON, a third of it in `dependencies`).
//!
//! Shape: mixed ecosystems (npm, maven, pypi, golang, cargo, deb, rpm, generic firmware) with
//! realistic purls, CPEs on OS packages and firmware, suppliers (with `address.country` in 1.6)
//! on firmware, OS packages and some others, licences, SHA-256 hashes and external references.
//! Dependencies: a ternary tree under a few top-level components keeps everything reachable from
//! the product, plus random forward edges (out-degree about 3 in all) and about 1% back edges,
//! which make a few cycles as real SBOMs have.

use crate::flags::Flags;
use anyhow::{bail, Context};
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

/// Output formats of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    CdxJson,
    /// CycloneDX 1.5 JSON: the same content without 1.6-only fields.
    CdxJson15,
    CdxXml,
    SpdxJson,
    /// SPDX 2.2 JSON: the same content without 2.3-only fields (`primaryPackagePurpose`).
    SpdxJson22,
}

impl OutFormat {
    pub fn parse(s: &str) -> anyhow::Result<OutFormat> {
        Ok(match s {
            "cdx-json" => OutFormat::CdxJson,
            "cdx-json-1.5" => OutFormat::CdxJson15,
            "cdx-xml" => OutFormat::CdxXml,
            "spdx-json" => OutFormat::SpdxJson,
            "spdx-json-2.2" => OutFormat::SpdxJson22,
            _ => bail!(
                "unknown format '{s}' (cdx-json, cdx-json-1.5, cdx-xml, spdx-json, spdx-json-2.2)"
            ),
        })
    }
}

pub fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let mut f = Flags::new("gen-sbom", args);
    let Some(n) = f.value("components")? else {
        bail!("gen-sbom: --components N is required");
    };
    let n: usize = n.parse().context("gen-sbom: --components")?;
    let format = OutFormat::parse(&f.value("format")?.unwrap_or_else(|| "cdx-json".into()))?;
    let seed: u64 = f.parsed("seed", 1)?;
    let out = f.value("out")?;
    f.finish_empty()?;
    match out {
        Some(path) => {
            let bytes = write_file(Path::new(&path), format, n, seed)?;
            eprintln!("wrote {path}: {n} components, {bytes} bytes");
        }
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::with_capacity(1 << 16, stdout.lock());
            write(&mut w, format, n, seed)?;
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a document to `path` and returns its size in bytes.
pub fn write_file(path: &Path, format: OutFormat, n: usize, seed: u64) -> anyhow::Result<u64> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    write(&mut w, format, n, seed)?;
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Writes a document of `n` components (plus the product root) to `w`.
pub fn write(w: &mut dyn Write, format: OutFormat, n: usize, seed: u64) -> io::Result<()> {
    let gen = Generator::new(n, seed);
    match format {
        OutFormat::CdxJson => gen.cdx_json(w, "1.6"),
        OutFormat::CdxJson15 => gen.cdx_json(w, "1.5"),
        OutFormat::CdxXml => gen.cdx_xml(w),
        OutFormat::SpdxJson => gen.spdx_json(w, "2.3"),
        OutFormat::SpdxJson22 => gen.spdx_json(w, "2.2"),
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// SplitMix64: tiny, fast, good enough for test data, and stable across Rust versions (no
/// dependency whose stream could change under us).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// True with probability `percent`%.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

#[derive(Clone, Copy, PartialEq, Eq)]
enum Eco {
    Npm,
    Maven,
    Pypi,
    Golang,
    Cargo,
    Deb,
    Rpm,
    Firmware,
}

/// Ecosystems with weights (percent), roughly what a router or switch image carries: a web UI
/// (npm), a management plane (Java, Python, Go), a Linux base (deb/rpm) and vendor firmware.
const ECOSYSTEMS: &[(Eco, u64)] = &[
    (Eco::Npm, 28),
    (Eco::Maven, 14),
    (Eco::Pypi, 12),
    (Eco::Golang, 12),
    (Eco::Cargo, 6),
    (Eco::Deb, 13),
    (Eco::Rpm, 9),
    (Eco::Firmware, 6),
];

const NPM_NAMES: &[&str] = &[
    "express",
    "lodash",
    "react-dom",
    "axios",
    "chalk",
    "debug",
    "semver",
    "uuid",
    "yargs",
    "body-parser",
    "ws",
    "minimist",
    "qs",
    "moment",
    "commander",
    "glob",
    "rxjs",
    "tslib",
];
const NPM_SCOPES: &[&str] = &[
    "@angular", "@babel", "@types", "@vue", "@nestjs", "@aws-sdk",
];
const MAVEN: &[(&str, &str)] = &[
    ("org.apache.commons", "commons-lang3"),
    ("com.fasterxml.jackson.core", "jackson-databind"),
    ("io.netty", "netty-handler"),
    ("org.slf4j", "slf4j-api"),
    ("com.google.guava", "guava"),
    ("org.springframework", "spring-core"),
    ("org.bouncycastle", "bcprov-jdk18on"),
    ("org.apache.logging.log4j", "log4j-core"),
];
const PYPI_NAMES: &[&str] = &[
    "requests",
    "urllib3",
    "cryptography",
    "pyyaml",
    "jinja2",
    "paramiko",
    "netaddr",
    "six",
    "ncclient",
    "certifi",
    "idna",
    "click",
];
const GO_MODULES: &[&str] = &[
    "github.com/golang/protobuf",
    "github.com/prometheus/client_golang",
    "golang.org/x/net",
    "google.golang.org/grpc",
    "github.com/sirupsen/logrus",
    "github.com/spf13/cobra",
    "go.etcd.io/etcd/client",
    "github.com/vishvananda/netlink",
];
const CARGO_NAMES: &[&str] = &[
    "serde", "tokio", "rustls", "hyper", "ring", "bytes", "libc", "smallvec", "log", "regex",
];
const DEB_NAMES: &[&str] = &[
    "libssl3",
    "openssh-server",
    "busybox",
    "libc6",
    "zlib1g",
    "iptables",
    "dnsmasq",
    "libcurl4",
    "iproute2",
    "strongswan",
    "frr",
    "lldpd",
];
const RPM_NAMES: &[&str] = &[
    "openssl-libs",
    "glibc",
    "systemd",
    "kernel-core",
    "bash",
    "ca-certificates",
    "keepalived",
    "chrony",
    "net-snmp",
];
const FIRMWARE: &[(&str, &str)] = &[
    ("broadcom", "bcm-switch-sdk"),
    ("marvell", "prestera-fw"),
    ("realtek", "rtl8125-fw"),
    ("mediatek", "mt7915-wifi-fw"),
    ("intel", "ice-ddp-package"),
    ("qualcomm", "ath11k-fw"),
    ("nvidia", "mlnx-spectrum-fw"),
    ("huawei", "hi1822-nic-fw"),
];

/// Suppliers as `(name, ISO 3166-1 alpha-2 country, website)`.
const VENDORS: &[(&str, &str, &str)] = &[
    ("Broadcom Inc.", "US", "https://www.broadcom.com"),
    ("Marvell Technology, Inc.", "US", "https://www.marvell.com"),
    (
        "Realtek Semiconductor Corp.",
        "TW",
        "https://www.realtek.com",
    ),
    ("MediaTek Inc.", "TW", "https://www.mediatek.com"),
    ("Intel Corporation", "US", "https://www.intel.com"),
    (
        "Qualcomm Technologies, Inc.",
        "US",
        "https://www.qualcomm.com",
    ),
    ("NVIDIA Corporation", "US", "https://www.nvidia.com"),
    (
        "Huawei Technologies Co., Ltd.",
        "CN",
        "https://www.huawei.com",
    ),
    (
        "Nokia Solutions and Networks Oy",
        "FI",
        "https://www.nokia.com",
    ),
    (
        "Telefonaktiebolaget LM Ericsson",
        "SE",
        "https://www.ericsson.com",
    ),
    ("Siemens AG", "DE", "https://www.siemens.com"),
    (
        "Samsung Electronics Co., Ltd.",
        "KR",
        "https://www.samsung.com",
    ),
    (
        "Wind River Systems, Inc.",
        "US",
        "https://www.windriver.com",
    ),
    ("Canonical Ltd.", "GB", "https://canonical.com"),
];
const DEBIAN: (&str, &str, &str) = ("Debian Project", "US", "https://www.debian.org");
const REDHAT: (&str, &str, &str) = ("Red Hat, Inc.", "US", "https://www.redhat.com");

const LICENSES: &[&str] = &[
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "ISC",
    "GPL-2.0-only",
    "LGPL-2.1-or-later",
    "MPL-2.0",
    "OpenSSL",
];
const EXPRESSIONS: &[&str] = &[
    "MIT OR Apache-2.0",
    "GPL-2.0-or-later WITH Linux-syscall-note",
];

// ---------------------------------------------------------------------------------------------
// One component

/// How a component declares its licence.
enum Licence {
    None,
    Id(&'static str),
    Expression(&'static str),
}

/// Everything written about one component, in every format.
struct Comp {
    eco: Eco,
    /// CycloneDX `group` (npm scope, Maven groupId).
    group: Option<String>,
    name: String,
    version: String,
    purl: String,
    cpe: Option<String>,
    /// `(name, country, url)`.
    supplier: Option<(&'static str, &'static str, &'static str)>,
    licence: Licence,
    /// Present on about 75% of components, as in real documents.
    sha256: Option<String>,
    /// `(CycloneDX type, url)`, on about 60% of components.
    reference: Option<(&'static str, String)>,
}

impl Comp {
    fn cdx_type(&self) -> &'static str {
        if self.eco == Eco::Firmware {
            "firmware"
        } else {
            "library"
        }
    }
    /// The name as a package manager shows it (`@scope/name`, `group:artifact`).
    fn full_name(&self) -> String {
        match (&self.group, self.eco) {
            (Some(g), Eco::Npm) => format!("{g}/{}", self.name),
            (Some(g), _) => format!("{g}:{}", self.name),
            (None, _) => self.name.clone(),
        }
    }
}

/// Base-36 suffix that makes names unique without looking like counters.
fn suffix(i: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut n = i;
    let mut s = Vec::new();
    loop {
        s.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

struct Generator {
    n: usize,
    seed: u64,
    /// Outgoing dependencies of each component (indices), sorted, without duplicates.
    deps: Vec<Vec<u32>>,
    /// Components the product depends on directly.
    top: usize,
}

/// Children per node in the tree that keeps every component reachable.
const FANOUT: usize = 3;

impl Generator {
    fn new(n: usize, seed: u64) -> Generator {
        let top = n.min(4);
        let mut deps: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, out) in deps.iter_mut().enumerate() {
            // Tree children: (i * FANOUT + top) .. + FANOUT.
            for c in i * FANOUT + top..(i * FANOUT + top + FANOUT).min(n) {
                out.push(c as u32);
            }
            let mut rng = Rng::new(seed, 0x00de_9000_0000 + i as u64);
            // Random forward edges: 0..=4, two on average, to later components (a DAG).
            let extra = rng.below(5);
            if i + 1 < n {
                for _ in 0..extra {
                    out.push((i + 1 + rng.below(n - i - 1)) as u32);
                }
            }
            // About 1% back edges: a few cycles, as real documents have.
            if i > 0 && rng.chance(1) {
                out.push(rng.below(i) as u32);
            }
            out.sort_unstable();
            out.dedup();
        }
        Generator { n, seed, deps, top }
    }

    fn component(&self, i: usize) -> Comp {
        let mut rng = Rng::new(self.seed, i as u64);
        let roll = rng.below(100) as u64;
        let mut acc = 0;
        let mut eco = Eco::Npm;
        for &(e, w) in ECOSYSTEMS {
            acc += w;
            if roll < acc {
                eco = e;
                break;
            }
        }
        let sfx = suffix(i);
        let (major, minor, patch) = (rng.below(12), rng.below(30), rng.below(20));
        let semver = format!("{major}.{minor}.{patch}");
        let mut supplier = None;
        let mut cpe = None;
        let (group, name, version, purl, reference) = match eco {
            Eco::Npm => {
                let name = format!("{}-{sfx}", rng.pick(NPM_NAMES));
                let group = rng.chance(25).then(|| rng.pick(NPM_SCOPES).to_string());
                let purl = match &group {
                    Some(g) => format!("pkg:npm/%40{}/{name}@{semver}", &g[1..]),
                    None => format!("pkg:npm/{name}@{semver}"),
                };
                let url = format!("https://registry.npmjs.org/{name}/-/{name}-{semver}.tgz");
                (group, name, semver, purl, ("distribution", url))
            }
            Eco::Maven => {
                let (g, a) = rng.pick(MAVEN);
                let name = format!("{a}-{sfx}");
                let purl = format!("pkg:maven/{g}/{name}@{semver}?type=jar");
                let url = format!("https://github.com/{}/{name}", g.replace('.', "-"));
                (Some(g.to_string()), name, semver, purl, ("vcs", url))
            }
            Eco::Pypi => {
                let name = format!("{}-{sfx}", rng.pick(PYPI_NAMES));
                let purl = format!("pkg:pypi/{name}@{semver}");
                let url = format!("https://pypi.org/project/{name}/");
                (None, name, semver, purl, ("website", url))
            }
            Eco::Golang => {
                let name = format!("{}-{sfx}", rng.pick(GO_MODULES));
                let version = format!("v{semver}");
                let purl = format!("pkg:golang/{name}@{version}");
                let url = format!("https://{name}");
                (None, name, version, purl, ("vcs", url))
            }
            Eco::Cargo => {
                let name = format!("{}-{sfx}", rng.pick(CARGO_NAMES));
                let purl = format!("pkg:cargo/{name}@{semver}");
                let url = format!("https://crates.io/crates/{name}");
                (None, name, semver, purl, ("distribution", url))
            }
            Eco::Deb => {
                let name = format!("{}-{sfx}", rng.pick(DEB_NAMES));
                let version = format!("{semver}-{}", 1 + rng.below(4));
                let purl = format!("pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12");
                cpe = Some(format!("cpe:2.3:a:{name}:{name}:{semver}:*:*:*:*:*:*:*"));
                supplier = Some(DEBIAN);
                let url = format!("https://packages.debian.org/bookworm/{name}");
                (None, name, version, purl, ("website", url))
            }
            Eco::Rpm => {
                let name = format!("{}-{sfx}", rng.pick(RPM_NAMES));
                let version = format!("{semver}-{}.el9", 1 + rng.below(9));
                let purl = format!("pkg:rpm/redhat/{name}@{version}?arch=x86_64");
                if rng.chance(50) {
                    cpe = Some(format!("cpe:2.3:a:redhat:{name}:{semver}:*:*:*:*:*:*:*"));
                }
                supplier = Some(REDHAT);
                let url = format!("https://access.redhat.com/downloads/content/{name}");
                (None, name, version, purl, ("distribution", url))
            }
            Eco::Firmware => {
                let (vendor, base) = rng.pick(FIRMWARE);
                let name = format!("{base}-{sfx}");
                let purl = format!("pkg:generic/{vendor}/{name}@{semver}");
                cpe = Some(format!("cpe:2.3:o:{vendor}:{name}:{semver}:*:*:*:*:*:*:*"));
                let v = VENDORS
                    .iter()
                    .find(|v| v.0.to_ascii_lowercase().starts_with(vendor))
                    .copied()
                    .unwrap_or(VENDORS[0]);
                supplier = Some(v);
                let url = format!("{}/support/firmware/{name}", v.2);
                (None, name, semver, purl, ("distribution", url))
            }
        };
        if supplier.is_none() && rng.chance(15) {
            supplier = Some(*rng.pick(VENDORS));
        }
        let licence = match rng.below(100) {
            0..=4 => Licence::None,
            5..=12 => Licence::Expression(EXPRESSIONS[rng.below(EXPRESSIONS.len())]),
            _ => Licence::Id(LICENSES[rng.below(LICENSES.len())]),
        };
        let sha256 = rng.chance(75).then(|| {
            let mut h = String::with_capacity(64);
            for _ in 0..4 {
                let _ = write!(h, "{:016x}", rng.next());
            }
            h
        });
        let reference = (eco == Eco::Firmware || rng.chance(55)).then_some(reference);
        Comp {
            eco,
            group,
            name,
            version,
            purl,
            cpe,
            supplier,
            licence,
            sha256,
            reference,
        }
    }

    /// The CycloneDX bom-ref of component `i`: its purl, as syft and cdxgen write it.
    fn cdx_ref(&self, c: &Comp) -> String {
        c.purl.clone()
    }

    fn serial(&self) -> String {
        let mut r = Rng::new(self.seed, u64::MAX);
        let (a, b) = (r.next(), r.next());
        format!(
            "urn:uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }

    fn product_version(&self) -> String {
        format!("24.{}.{}", self.seed % 10, self.n)
    }

    // -----------------------------------------------------------------------------------------
    // CycloneDX JSON

    fn cdx_json(&self, w: &mut dyn Write, spec: &str) -> io::Result<()> {
        let with_address = spec != "1.5";
        let product = PRODUCT;
        write!(
            w,
            "{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"{spec}\",\"serialNumber\":{},\
             \"version\":1,\n\"metadata\":{{\"timestamp\":\"2026-01-01T00:00:00Z\",\
             \"tools\":{{\"components\":[{{\"type\":\"application\",\"name\":\"sbomrisk-xtask\",\
             \"version\":\"{}\"}}]}},\n\"component\":{{\"type\":\"firmware\",\"bom-ref\":{},\
             \"name\":{},\"version\":{},",
            js(&self.serial()),
            env!("CARGO_PKG_VERSION"),
            js(ROOT_REF),
            js(product.0),
            js(&self.product_version()),
        )?;
        let mut s = String::new();
        cdx_json_party(&mut s, "supplier", PRODUCT_VENDOR, with_address);
        write!(w, "{s}}},")?;
        s.clear();
        cdx_json_party(&mut s, "supplier", PRODUCT_VENDOR, with_address);
        write!(w, "{s}}},\n\"components\":[")?;
        for i in 0..self.n {
            let c = self.component(i);
            s.clear();
            if i > 0 {
                s.push(',');
            }
            s.push('\n');
            let _ = write!(
                s,
                "{{\"type\":\"{}\",\"bom-ref\":{},",
                c.cdx_type(),
                js(&self.cdx_ref(&c))
            );
            if let Some(v) = c.supplier {
                cdx_json_party(&mut s, "supplier", v, with_address);
                s.push(',');
            }
            if let Some(g) = &c.group {
                let _ = write!(s, "\"group\":{},", js(g));
            }
            let _ = write!(
                s,
                "\"name\":{},\"version\":{},",
                js(&c.name),
                js(&c.version)
            );
            if let Some(h) = &c.sha256 {
                let _ = write!(
                    s,
                    "\"hashes\":[{{\"alg\":\"SHA-256\",\"content\":\"{h}\"}}],"
                );
            }
            match c.licence {
                Licence::None => {}
                Licence::Id(id) => {
                    let _ = write!(s, "\"licenses\":[{{\"license\":{{\"id\":{}}}}}],", js(id));
                }
                Licence::Expression(e) => {
                    let _ = write!(s, "\"licenses\":[{{\"expression\":{}}}],", js(e));
                }
            }
            if let Some(cpe) = &c.cpe {
                let _ = write!(s, "\"cpe\":{},", js(cpe));
            }
            let _ = write!(s, "\"purl\":{}", js(&c.purl));
            if let Some((kind, url)) = &c.reference {
                let _ = write!(
                    s,
                    ",\"externalReferences\":[{{\"type\":\"{kind}\",\"url\":{}}}]",
                    js(url)
                );
            }
            s.push('}');
            w.write_all(s.as_bytes())?;
        }
        write!(w, "\n],\n\"dependencies\":[\n")?;
        s.clear();
        let _ = write!(s, "{{\"ref\":{},\"dependsOn\":[", js(ROOT_REF));
        for t in 0..self.top {
            if t > 0 {
                s.push(',');
            }
            s.push_str(&js(&self.cdx_ref(&self.component(t))));
        }
        s.push_str("]}");
        w.write_all(s.as_bytes())?;
        for i in 0..self.n {
            s.clear();
            let _ = write!(
                s,
                ",\n{{\"ref\":{},\"dependsOn\":[",
                js(&self.cdx_ref(&self.component(i)))
            );
            for (k, &d) in self.deps[i].iter().enumerate() {
                if k > 0 {
                    s.push(',');
                }
                s.push_str(&js(&self.cdx_ref(&self.component(d as usize))));
            }
            s.push_str("]}");
            w.write_all(s.as_bytes())?;
        }
        w.write_all(b"\n]}\n")
    }

    // -----------------------------------------------------------------------------------------
    // CycloneDX XML

    fn cdx_xml(&self, w: &mut dyn Write) -> io::Result<()> {
        write!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" serialNumber=\"{}\" version=\"1\">\n\
             <metadata><timestamp>2026-01-01T00:00:00Z</timestamp>\
             <tools><components><component type=\"application\"><name>sbomrisk-xtask</name>\
             <version>{}</version></component></components></tools>\n\
             <component type=\"firmware\" bom-ref=\"{}\">",
            self.serial(),
            env!("CARGO_PKG_VERSION"),
            xs(ROOT_REF)
        )?;
        let mut s = String::new();
        cdx_xml_party(&mut s, "supplier", PRODUCT_VENDOR);
        let _ = writeln!(
            s,
            "<name>{}</name><version>{}</version></component>",
            xs(PRODUCT.0),
            xs(&self.product_version())
        );
        cdx_xml_party(&mut s, "supplier", PRODUCT_VENDOR);
        s.push_str("</metadata>\n<components>");
        w.write_all(s.as_bytes())?;
        for i in 0..self.n {
            let c = self.component(i);
            s.clear();
            let _ = write!(
                s,
                "\n<component type=\"{}\" bom-ref=\"{}\">",
                c.cdx_type(),
                xs(&self.cdx_ref(&c))
            );
            if let Some(v) = c.supplier {
                cdx_xml_party(&mut s, "supplier", v);
            }
            if let Some(g) = &c.group {
                let _ = write!(s, "<group>{}</group>", xs(g));
            }
            let _ = write!(
                s,
                "<name>{}</name><version>{}</version>",
                xs(&c.name),
                xs(&c.version)
            );
            if let Some(h) = &c.sha256 {
                let _ = write!(s, "<hashes><hash alg=\"SHA-256\">{h}</hash></hashes>");
            }
            match c.licence {
                Licence::None => {}
                Licence::Id(id) => {
                    let _ = write!(
                        s,
                        "<licenses><license><id>{}</id></license></licenses>",
                        xs(id)
                    );
                }
                Licence::Expression(e) => {
                    let _ = write!(s, "<licenses><expression>{}</expression></licenses>", xs(e));
                }
            }
            if let Some(cpe) = &c.cpe {
                let _ = write!(s, "<cpe>{}</cpe>", xs(cpe));
            }
            let _ = write!(s, "<purl>{}</purl>", xs(&c.purl));
            if let Some((kind, url)) = &c.reference {
                let _ = write!(
                    s,
                    "<externalReferences><reference type=\"{kind}\"><url>{}</url>\
                     </reference></externalReferences>",
                    xs(url)
                );
            }
            s.push_str("</component>");
            w.write_all(s.as_bytes())?;
        }
        s.clear();
        let _ = write!(
            s,
            "\n</components>\n<dependencies>\n<dependency ref=\"{}\">",
            xs(ROOT_REF)
        );
        for t in 0..self.top {
            let _ = write!(
                s,
                "<dependency ref=\"{}\"/>",
                xs(&self.cdx_ref(&self.component(t)))
            );
        }
        s.push_str("</dependency>");
        w.write_all(s.as_bytes())?;
        for i in 0..self.n {
            s.clear();
            let _ = write!(
                s,
                "\n<dependency ref=\"{}\">",
                xs(&self.cdx_ref(&self.component(i)))
            );
            for &d in &self.deps[i] {
                let _ = write!(
                    s,
                    "<dependency ref=\"{}\"/>",
                    xs(&self.cdx_ref(&self.component(d as usize)))
                );
            }
            s.push_str("</dependency>");
            w.write_all(s.as_bytes())?;
        }
        w.write_all(b"\n</dependencies>\n</bom>\n")
    }

    // -----------------------------------------------------------------------------------------
    // SPDX 2.3 JSON

    fn spdx_id(i: usize) -> String {
        format!("SPDXRef-Package-{i}")
    }

    fn spdx_json(&self, w: &mut dyn Write, spec: &str) -> io::Result<()> {
        let v23 = spec == "2.3";
        write!(
            w,
            "{{\"spdxVersion\":\"SPDX-{spec}\",\"dataLicense\":\"CC0-1.0\",\
             \"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":{},\
             \"documentNamespace\":\"https://sbomrisk.example/spdx/synthetic-{}-{}\",\n\
             \"creationInfo\":{{\"created\":\"2026-01-01T00:00:00Z\",\
             \"creators\":[\"Tool: sbomrisk-xtask-{}\",\"Organization: {}\"]}},\n\
             \"documentDescribes\":[\"{SPDX_ROOT}\"],\n\"packages\":[\n",
            js(&format!("{} {}", PRODUCT.0, self.product_version())),
            self.seed,
            self.n,
            env!("CARGO_PKG_VERSION"),
            PRODUCT_VENDOR.0,
        )?;
        let mut s = String::new();
        let _ = write!(
            s,
            "{{\"SPDXID\":\"{SPDX_ROOT}\",\"name\":{},\"versionInfo\":{},\
             \"supplier\":{},\"downloadLocation\":\"NOASSERTION\",\"filesAnalyzed\":false,\
             \"licenseConcluded\":\"NOASSERTION\",\"licenseDeclared\":\"NOASSERTION\",\
             \"copyrightText\":\"NOASSERTION\"",
            js(PRODUCT.0),
            js(&self.product_version()),
            js(&format!("Organization: {}", PRODUCT_VENDOR.0)),
        );
        if v23 {
            s.push_str(",\"primaryPackagePurpose\":\"FIRMWARE\"");
        }
        s.push('}');
        w.write_all(s.as_bytes())?;
        for i in 0..self.n {
            let c = self.component(i);
            s.clear();
            let _ = write!(
                s,
                ",\n{{\"SPDXID\":\"{}\",\"name\":{},\"versionInfo\":{},",
                Self::spdx_id(i),
                js(&c.full_name()),
                js(&c.version)
            );
            if let Some(v) = c.supplier {
                let _ = write!(s, "\"supplier\":{},", js(&format!("Organization: {}", v.0)));
            }
            let download = match &c.reference {
                Some(("distribution", url)) => url.as_str(),
                _ => "NOASSERTION",
            };
            let licence = match c.licence {
                Licence::None => "NOASSERTION",
                Licence::Id(id) => id,
                Licence::Expression(e) => e,
            };
            let _ = write!(
                s,
                "\"downloadLocation\":{},\"filesAnalyzed\":false,",
                js(download)
            );
            if let Some(h) = &c.sha256 {
                let _ = write!(
                    s,
                    "\"checksums\":[{{\"algorithm\":\"SHA256\",\"checksumValue\":\"{h}\"}}],"
                );
            }
            let _ = write!(
                s,
                "\"licenseConcluded\":{},\"licenseDeclared\":{},\"copyrightText\":\"NOASSERTION\",",
                js(licence),
                js(licence)
            );
            if let Some(("website", url)) = &c.reference {
                let _ = write!(s, "\"homepage\":{},", js(url));
            }
            if v23 {
                let purpose = if c.eco == Eco::Firmware {
                    "FIRMWARE"
                } else {
                    "LIBRARY"
                };
                let _ = write!(s, "\"primaryPackagePurpose\":\"{purpose}\",");
            }
            let _ = write!(
                s,
                "\"externalRefs\":[{{\
                 \"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\
                 \"referenceLocator\":{}}}",
                js(&c.purl)
            );
            if let Some(cpe) = &c.cpe {
                let _ = write!(
                    s,
                    ",{{\"referenceCategory\":\"SECURITY\",\"referenceType\":\"cpe23Type\",\
                     \"referenceLocator\":{}}}",
                    js(cpe)
                );
            }
            s.push_str("]}");
            w.write_all(s.as_bytes())?;
        }
        w.write_all(b"\n],\n\"relationships\":[")?;
        let mut first = true;
        let mut rel = |w: &mut dyn Write, from: &str, to: &str| -> io::Result<()> {
            let sep = if first { "\n" } else { ",\n" };
            first = false;
            write!(
                w,
                "{sep}{{\"spdxElementId\":\"{from}\",\"relationshipType\":\"DEPENDS_ON\",\
                 \"relatedSpdxElement\":\"{to}\"}}"
            )
        };
        for t in 0..self.top {
            rel(w, SPDX_ROOT, &Self::spdx_id(t))?;
        }
        for i in 0..self.n {
            let from = Self::spdx_id(i);
            for &d in &self.deps[i] {
                rel(w, &from, &Self::spdx_id(d as usize))?;
            }
        }
        w.write_all(b"\n]}\n")
    }
}

/// The product the synthetic SBOM describes: `(name, vendor)`.
const PRODUCT: (&str, &str) = ("Synthetic Edge Router OS", "Example Networks");
const PRODUCT_VENDOR: (&str, &str, &str) =
    ("Example Networks GmbH", "DE", "https://networks.example");
const ROOT_REF: &str = "product:synthetic-edge-router-os";
const SPDX_ROOT: &str = "SPDXRef-Product";

fn cdx_json_party(s: &mut String, key: &str, v: (&str, &str, &str), with_address: bool) {
    let _ = write!(s, "\"{key}\":{{\"name\":{},", js(v.0));
    if with_address {
        let _ = write!(s, "\"address\":{{\"country\":{}}},", js(v.1));
    }
    let _ = write!(s, "\"url\":[{}]}}", js(v.2));
}

fn cdx_xml_party(s: &mut String, tag: &str, v: (&str, &str, &str)) {
    let _ = write!(
        s,
        "<{tag}><name>{}</name><address><country>{}</country></address><url>{}</url></{tag}>",
        xs(v.0),
        xs(v.1),
        xs(v.2)
    );
}

/// A JSON string literal.
fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// XML text or attribute content.
fn xs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(format: OutFormat, n: usize, seed: u64) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, format, n, seed).unwrap();
        out
    }

    #[test]
    fn json_outputs_are_valid_and_counted() {
        let n = 200;
        let v: serde_json::Value =
            serde_json::from_slice(&generate(OutFormat::CdxJson, n, 3)).unwrap();
        assert_eq!(v["specVersion"], "1.6");
        assert_eq!(v["components"].as_array().unwrap().len(), n);
        // One dependency entry per component plus the product.
        assert_eq!(v["dependencies"].as_array().unwrap().len(), n + 1);
        let refs: std::collections::HashSet<&str> = v["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["bom-ref"].as_str().unwrap())
            .collect();
        assert_eq!(refs.len(), n, "bom-refs are unique");

        let v: serde_json::Value =
            serde_json::from_slice(&generate(OutFormat::SpdxJson, n, 3)).unwrap();
        assert_eq!(v["packages"].as_array().unwrap().len(), n + 1);
        assert_eq!(v["documentDescribes"][0], SPDX_ROOT);

        let v: serde_json::Value =
            serde_json::from_slice(&generate(OutFormat::CdxJson15, n, 3)).unwrap();
        assert_eq!(v["specVersion"], "1.5");
        assert!(!String::from_utf8(generate(OutFormat::CdxJson15, n, 3))
            .unwrap()
            .contains("address"));
    }

    #[test]
    fn edges_agree_across_formats() {
        let n = 300;
        let gen = Generator::new(n, 9);
        let edges: usize = gen.deps.iter().map(Vec::len).sum::<usize>() + gen.top;
        let spdx: serde_json::Value =
            serde_json::from_slice(&generate(OutFormat::SpdxJson, n, 9)).unwrap();
        assert_eq!(spdx["relationships"].as_array().unwrap().len(), edges);
        let cdx: serde_json::Value =
            serde_json::from_slice(&generate(OutFormat::CdxJson, n, 9)).unwrap();
        let cdx_edges: usize = cdx["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["dependsOn"].as_array().unwrap().len())
            .sum();
        assert_eq!(cdx_edges, edges);
        let xml = String::from_utf8(generate(OutFormat::CdxXml, n, 9)).unwrap();
        assert_eq!(xml.matches("<dependency ref=").count(), edges + n + 1);
        assert_eq!(xml.matches("<component type=\"").count(), n + 2);
        // Out-degree about 3.
        let avg = edges as f64 / n as f64;
        assert!((2.0..4.0).contains(&avg), "average out-degree {avg}");
    }

    #[test]
    fn every_component_reachable_from_the_product() {
        let n = 1000;
        let gen = Generator::new(n, 1);
        let mut seen = vec![false; n];
        let mut stack: Vec<usize> = (0..gen.top).collect();
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                stack.extend(gen.deps[i].iter().map(|&d| d as usize));
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn deterministic_and_seed_dependent() {
        let a = generate(OutFormat::CdxJson, 50, 1);
        assert_eq!(a, generate(OutFormat::CdxJson, 50, 1));
        assert_ne!(a, generate(OutFormat::CdxJson, 50, 2));
    }

    #[test]
    fn size_is_about_600_bytes_per_component() {
        // ~400 bytes in `components` and ~200 in `dependencies` (three purl references each).
        let n = 2000;
        let per = generate(OutFormat::CdxJson, n, 1).len() / n;
        assert!((450..750).contains(&per), "{per} bytes per component");
    }

    #[test]
    fn zero_components_is_still_a_document() {
        for f in [OutFormat::CdxJson, OutFormat::SpdxJson] {
            let v: serde_json::Value = serde_json::from_slice(&generate(f, 0, 1)).unwrap();
            assert!(v.is_object());
        }
    }
}
