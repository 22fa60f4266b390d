//! The `sbomrisk` binary: parse arguments, run, map the outcome to an exit code.
//!
//! The system allocator is kept on purpose: mimalloc was measured (`cargo xtask bench`, 100k
//! components) to make attribution 3x faster but raise peak memory from 4.1x to 4.7x the input
//! size and double the cost ratio to the serde_json::Value baseline; see ARCHITECTURE.md.

fn main() {
    std::process::exit(sbomrisk::cli::main());
}
