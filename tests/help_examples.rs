//! Every `sbomrisk ...` example of every command's `--help` works as printed: it parses, and
//! every input file it names exists in the repository (or is written by an example before it).

use clap::{CommandFactory, Parser};
use std::path::Path;

/// The examples of a command and its subcommands, in order.
fn examples(cmd: &clap::Command, out: &mut Vec<String>) {
    if let Some(h) = cmd.get_after_help() {
        for line in h.to_string().lines() {
            for part in line.split("&&") {
                let part = part.split('|').next().unwrap_or_default().trim();
                if part.starts_with("sbomrisk ") {
                    out.push(part.to_string());
                }
            }
        }
    }
    for sub in cmd.get_subcommands() {
        examples(sub, out);
    }
}

/// Shell-like words: double quotes group, `#` starts a comment, `>`/`>>` redirect.
fn words(line: &str) -> (Vec<String>, Option<String>) {
    let line = line.split(" #").next().unwrap_or(line);
    let (cmd, redirect) = match line.split_once('>') {
        Some((c, r)) => (c, Some(r.trim_start_matches('>').trim().to_string())),
        None => (line, None),
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in cmd.chars() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    (out, redirect)
}

fn is_input_path(w: &str) -> bool {
    !w.starts_with('-')
        && (w.ends_with('/')
            || [".json", ".xml", ".spdx", ".toml", ".tsv", ".gz", ".jsonl"]
                .iter()
                .any(|e| w.ends_with(e)))
}

fn glob_matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        Some((pre, post)) => {
            text.starts_with(pre) && text.ends_with(post) && text.len() >= pre.len() + post.len()
        }
        None => pattern == text,
    }
}

#[test]
fn help_examples_work_as_printed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    examples(&sbomrisk::cli::Cli::command(), &mut all);
    assert!(all.len() > 30, "{}", all.len());
    let mut written: Vec<String> = Vec::new();
    for line in &all {
        let (args, redirect) = words(line);
        if let Err(e) = sbomrisk::cli::Cli::try_parse_from(&args) {
            panic!("`{line}` does not parse: {e}");
        }
        let mut skip_next = false;
        for (i, w) in args.iter().enumerate() {
            if skip_next {
                skip_next = false;
                continue;
            }
            let prev = i.checked_sub(1).map(|j| args[j].as_str());
            // Outputs: -o PATH, `init -o`, `cache export PATH`.
            if matches!(prev, Some("-o" | "--output" | "export")) {
                written.push(w.clone());
                continue;
            }
            if matches!(w.as_str(), "--cache-dir") {
                skip_next = true;
                continue;
            }
            if !is_input_path(w) || w == "-" {
                continue;
            }
            let exists = if w.contains('*') {
                let dir = root.join(Path::new(w).parent().unwrap_or(Path::new("")));
                let files: Vec<String> = std::fs::read_dir(&dir)
                    .map(|d| {
                        d.flatten()
                            .map(|e| e.path().strip_prefix(root).unwrap().display().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                files.iter().chain(&written).any(|f| glob_matches(w, f))
            } else {
                root.join(w).exists() || written.contains(w)
            };
            assert!(exists, "`{line}` names {w}, which does not exist");
        }
        if let Some(r) = redirect {
            written.push(r);
        }
    }
}
