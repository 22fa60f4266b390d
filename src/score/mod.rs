pub mod completeness;
pub mod pair;
