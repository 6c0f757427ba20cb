//! Data loading: the demo centre.

mod demo;
mod history;

pub use demo::demo;
