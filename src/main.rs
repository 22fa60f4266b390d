//! The `sbomrisk` binary: parse arguments, run, map the outcome to an exit code.

/// mimalloc instead of the system allocator: ingest and attribution allocate many small strings,
/// and glibc spends more time consolidating free lists than the parsers spend parsing (measured
/// with `cargo xtask bench`; see ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(sbomrisk::cli::main());
}
