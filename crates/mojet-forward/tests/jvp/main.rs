//! Tangents of `Forward<NdArray<f64>>` against central differences and reverse mode.

mod common;
mod elementwise;
mod layout;
mod modules;
mod reduce;
