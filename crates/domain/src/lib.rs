//! OneWindow's domain: every rule of the service centre, pure (no I/O, no async, no clock).
//! Storage and HTTP carry what these functions decide.

pub mod audit;
pub mod auth;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod identity;
pub mod opening_hours;
pub mod organisation;
pub mod supervision;
