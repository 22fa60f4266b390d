pub mod cache;
pub mod online;
