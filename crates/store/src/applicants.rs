//! applicants
