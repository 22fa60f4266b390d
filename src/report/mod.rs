//! Reports: everything the tool writes for its users, read from the results of the earlier
//! stages (ingest, attribution, score). A report never changes a result; it only renders it.

pub mod enrich;
