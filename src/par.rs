//! When to run work on the thread pool. A small document is analysed on the calling thread:
//! starting rayon's pool (a thread per core, on first use) costs more than it saves below a few
//! thousand components, and a per-file run (a CI job, a pre-commit hook) pays it every time.
//!
//! Architecture invariant: the results are the same either way (every parallel step here is a
//! map or a join whose results are collected in order).

use rayon::prelude::*;

/// Documents with fewer components than this run on the calling thread.
pub const PARALLEL_FROM: usize = 2048;

/// Whether a document of `components` components is small enough for the calling thread.
pub fn small(components: usize) -> bool {
    components < PARALLEL_FROM
}

/// `rayon::join`, or `a` then `b` on this thread when `sequential`.
pub fn join<A, B, RA, RB>(sequential: bool, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    if sequential {
        (a(), b())
    } else {
        rayon::join(a, b)
    }
}

/// `items.par_iter().map(f).collect()`, or the same on this thread when `sequential`.
pub fn map<'s, T, R, C>(sequential: bool, items: &'s [T], f: impl Fn(&'s T) -> R + Sync + Send) -> C
where
    T: Sync,
    R: Send,
    C: FromIterator<R> + FromParallelIterator<R>,
{
    map_min(sequential, items, 1, f)
}

/// [`map`] for cheap items: a thread takes at least `min_len` of them at a time.
pub fn map_min<'s, T, R, C>(
    sequential: bool,
    items: &'s [T],
    min_len: usize,
    f: impl Fn(&'s T) -> R + Sync + Send,
) -> C
where
    T: Sync,
    R: Send,
    C: FromIterator<R> + FromParallelIterator<R>,
{
    if sequential {
        items.iter().map(f).collect()
    } else {
        items.par_iter().with_min_len(min_len).map(f).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_give_the_same_results_in_order() {
        let items: Vec<u32> = (0..5000).collect();
        let a: Vec<u32> = map(true, &items, |x| x * 3);
        let b: Vec<u32> = map(false, &items, |x| x * 3);
        assert_eq!(a, b);
        let c: Vec<u32> = map_min(false, &items, 4096, |x| x * 3);
        assert_eq!(a, c);
        assert_eq!(join(true, || 1, || 2), join(false, || 1, || 2));
        assert!(small(PARALLEL_FROM - 1) && !small(PARALLEL_FROM));
    }
}
