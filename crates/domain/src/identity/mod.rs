//! Identity codes: resident ID, unified social credit code, region code, case number, masking.
