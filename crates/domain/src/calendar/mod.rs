//! Working-day calendar and deadlines (C3).
