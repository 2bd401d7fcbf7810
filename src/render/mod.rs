//! Renderers: every output format reads the same [`crate::diag::Diagnostic`] data.
