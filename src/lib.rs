//! sbomrisk: reads the SBOMs of network products and tells a buyer how much the product's supply
//! can be cut off (Cybersecurity Review Measures 2022, Article 10, factors 2 and 3).
//!
//! The pipeline, one way: [`ingest`] -> [`model`] -> [`graph`] -> [`attribution`] -> [`score`]
//! -> [`report`]; [`pipeline::Session`] runs it whole, and [`cli`] only parses arguments and
//! prints. See ARCHITECTURE.md for the code map.

pub mod attribution;
/// The command line: argument parsing and printing over [`pipeline`]. Not part of the library's
/// API (hidden from its docs, no stability promise): it is public only so that the binary, the
/// CLI tests and `cargo xtask dist` (completions and man pages) share one clap definition.
#[doc(hidden)]
pub mod cli;
pub mod config;
pub mod data;
pub mod enrich;
pub mod graph;
pub mod ingest;
mod jsonfmt;
pub mod model;
mod par;
pub mod pipeline;
pub mod report;
pub mod score;

/// The tool's version, recorded in every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
