//! The HTML report in a real browser: headless Chromium renders the dossier of
//! sboms/home-router-openwrt.cdx.json to a PNG, and the chart fill colours must cover enough
//! pixels (the bar charts, the scenario bars and the critical-path nodes are drawn).
//!
//! Skips with a notice when no Chromium is installed (`.ci/run` installs Debian's `chromium`).
//! `SBOMRISK_SCREENSHOT=PATH` keeps a copy of the screenshot (docs/report-screenshot.png).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The chart colours of src/report/html.rs (`colors`), as RGB.
const COUNTRY: [u8; 3] = [0x2b, 0x6c, 0xb0];
const VENDOR: [u8; 3] = [0x6b, 0x46, 0xc1];
const SCENARIO: [u8; 3] = [0xdd, 0x6b, 0x20];
const PATH_ROOT: [u8; 3] = [0x4a, 0x55, 0x68];
const PATH_HIGH: [u8; 3] = [0xe5, 0x3e, 0x3e];

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// RGB pixels of a PNG.
fn pixels(png_path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let bytes = std::fs::read(png_path).unwrap();
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let px = buf[..info.line_size * info.height as usize]
        .chunks(info.line_size)
        .flat_map(|line| {
            line[..info.width as usize * channels]
                .chunks(channels)
                .map(|c| [c[0], c[1], c[2]])
                .collect::<Vec<_>>()
        })
        .collect();
    (info.width, info.height, px)
}

fn count(px: &[[u8; 3]], rgb: [u8; 3]) -> usize {
    // Anti-aliasing and colour management move a channel by a few steps at most.
    px.iter()
        .filter(|p| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 3))
        .count()
}

#[test]
fn chromium_renders_the_charts() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED chromium_renders_the_charts: no chromium on PATH \
             (apt-get install chromium; .ci/run installs it)"
        );
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("router.html");
    let cache = dir.path().join("cache");
    Command::cargo_bin("sbomrisk")
        .unwrap()
        .current_dir(root)
        .env("XDG_CACHE_HOME", &cache)
        .args([
            "analyze",
            "--offline",
            "--as-of",
            "2026-11-25",
            "--format",
            "html",
            "-o",
        ])
        .arg(&html)
        .arg("sboms/home-router-openwrt.cdx.json")
        .assert()
        .success();
    let shot = dir.path().join("router.png");
    let out = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--window-size=1000,3000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        shot.is_file(),
        "{} wrote no screenshot: {}",
        browser.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(keep) = std::env::var_os("SBOMRISK_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
    let (w, h, px) = pixels(&shot);
    assert_eq!((w, h), (1000, 3000));
    for (what, rgb, min) in [
        ("origin-country bars", COUNTRY, 2000),
        ("vendor bars", VENDOR, 1000),
        ("scenario bars", SCENARIO, 1000),
        ("critical-path root", PATH_ROOT, 1000),
        ("critical-path exposed nodes", PATH_HIGH, 1000),
    ] {
        let n = count(&px, rgb);
        assert!(
            n >= min,
            "{what}: {n} pixels of #{rgb:02x?}, expected {min} or more"
        );
    }
}
