//! Tangents of `Forward<NdArray<f64>>` against central differences and reverse mode.

mod api;
mod common;
mod elementwise;
mod layout;
mod modules;
mod reduce;
