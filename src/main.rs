//! The `sbomrisk` binary: prepare the heap, parse arguments, run, map the outcome to an exit code.
//!
//! The system allocator is kept on purpose: mimalloc was measured (`cargo xtask bench`, 100k
//! components) to make attribution 3x faster but raise peak memory from 4.1x to 4.7x the input
//! size and double the cost ratio to the serde_json::Value baseline; see ARCHITECTURE.md.

fn main() {
    heap::prefault();
    std::process::exit(sbomrisk::cli::main());
}

/// Every run first builds the embedded registry: about 2 MiB of small allocations on a fresh
/// heap, each new 4 KiB page of which costs a page fault (about 500 of a small run's 730, a
/// tenth of its time). Faulting those pages in with one `madvise` call is cheaper than taking
/// them one at a time: a 4-component `analyze` went from 4.59 to 4.17 ms (min of 150,
/// interleaved; 1 MiB gave 4.41 ms and 3 MiB 4.51 ms), with no change in time or peak memory at
/// 100k components. Elsewhere (another libc or OS) nothing is done.
mod heap {
    /// What the registry's start-up takes of the heap, measured (above).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    const PREFAULT: usize = 2 << 20;

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    pub fn prefault() {
        // Setting any of glibc's thresholds fixes them all (it otherwise raises the mmap
        // threshold as large blocks are freed, up to 32 MiB). A block under 4 MiB comes from the
        // heap, so the one below does and its pages stay there for what follows; the heap is
        // given back to the system when 8 MiB of its top is free, not 128 KiB.
        //
        // SAFETY: mallopt, malloc and free are called as glibc documents them; madvise is
        // given whole pages inside the block just allocated, which nothing else refers to, and
        // MADV_POPULATE_WRITE (Linux 5.14) only faults them in (it fails harmlessly on an older
        // kernel, and the pages are then faulted in on first use as before).
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 8 << 20);
            let block = libc::malloc(PREFAULT);
            if block.is_null() {
                return;
            }
            let start = (block as usize).next_multiple_of(4096);
            let len = (block as usize + PREFAULT - start) & !4095;
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE);
            libc::free(block);
        }
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    pub fn prefault() {}
}
