//! Data loading: the demo centre, and data volumes for measurements.

mod demo;
mod history;

pub use demo::{demo, volume};
pub use history::DEMO_SEED;
