//! A small hand-written argument parser: `--name value`, `--name=value`, `--switch` and
//! positional arguments. Enough for developer tasks, and nothing to compile.

use anyhow::{bail, Context};
use std::str::FromStr;

/// Parsed arguments of one task. Each accessor removes what it reads; [`Flags::finish`] then
/// rejects anything left over, so a mistyped flag is an error, not silently ignored.
pub struct Flags {
    task: &'static str,
    args: Vec<String>,
}

impl Flags {
    pub fn new(task: &'static str, args: Vec<String>) -> Flags {
        Flags { task, args }
    }

    /// The value of `--name`, if given (the last one wins).
    pub fn value(&mut self, name: &str) -> anyhow::Result<Option<String>> {
        let flag = format!("--{name}");
        let prefix = format!("--{name}=");
        let mut found = None;
        let mut i = 0;
        while i < self.args.len() {
            if self.args[i] == flag {
                if i + 1 >= self.args.len() {
                    bail!("{}: {flag} needs a value", self.task);
                }
                found = Some(self.args.remove(i + 1));
                self.args.remove(i);
            } else if let Some(v) = self.args[i].strip_prefix(&prefix) {
                found = Some(v.to_string());
                self.args.remove(i);
            } else {
                i += 1;
            }
        }
        Ok(found)
    }

    /// The parsed value of `--name`, or `default`.
    pub fn parsed<T: FromStr>(&mut self, name: &str, default: T) -> anyhow::Result<T>
    where
        T::Err: std::fmt::Display,
    {
        match self.value(name)? {
            None => Ok(default),
            Some(v) => v
                .parse::<T>()
                .map_err(|e| anyhow::anyhow!("{e}"))
                .with_context(|| format!("{}: bad value '{v}' for --{name}", self.task)),
        }
    }

    /// True when `--name` was given.
    pub fn switch(&mut self, name: &str) -> bool {
        let flag = format!("--{name}");
        let before = self.args.len();
        self.args.retain(|a| *a != flag);
        self.args.len() != before
    }

    /// What is left: the positional arguments. Fails on anything that still looks like a flag.
    pub fn finish(self) -> anyhow::Result<Vec<String>> {
        if let Some(unknown) = self.args.iter().find(|a| a.starts_with("--")) {
            bail!("{}: unknown option {unknown}", self.task);
        }
        Ok(self.args)
    }

    /// Like [`Flags::finish`], but positional arguments are errors too.
    pub fn finish_empty(self) -> anyhow::Result<()> {
        let task = self.task;
        let rest = self.finish()?;
        if let Some(extra) = rest.first() {
            bail!("{task}: unexpected argument '{extra}'");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&str]) -> Flags {
        Flags::new("t", args.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn values_switches_and_positionals() {
        let mut f = flags(&["--runs", "3", "a", "--verbose", "--seed=7", "b"]);
        assert_eq!(f.parsed::<u32>("runs", 1).unwrap(), 3);
        assert_eq!(f.parsed::<u64>("seed", 0).unwrap(), 7);
        assert_eq!(f.parsed::<u64>("components", 5).unwrap(), 5);
        assert!(f.switch("verbose"));
        assert!(!f.switch("quiet"));
        assert_eq!(f.finish().unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn unknown_flag_and_missing_value_fail() {
        assert!(flags(&["--nope"]).finish().is_err());
        assert!(flags(&["--runs"]).value("runs").is_err());
        assert!(flags(&["--runs", "x"]).parsed::<u32>("runs", 1).is_err());
        assert!(flags(&["extra"]).finish_empty().is_err());
    }
}
