//! Modular jets: the local linear response of every tap of a pipeline to a
//! design of input perturbations, and the diagnostics that compare them.
//!
//! Linear algebra (SVD, least squares, Procrustes, QR) uses `nalgebra`: it is
//! pure Rust, so it builds on a fresh machine without a system BLAS, and it is
//! fast enough for the matrices here, whose sides are tap widths and input
//! dimensions rather than data-set sizes.

pub mod alignment;
pub mod assignment;
pub mod design;
pub mod diagnosis;
pub mod engine;
pub mod finite;
pub mod forward;
pub mod jet;
pub mod lift;
pub mod linalg;
pub mod quotient;
pub mod reverse;
pub mod verdict;

pub use design::{Design, DesignKind};
pub use engine::{EngineKind, EngineOptions, Jets, estimate};
pub use jet::TapJet;
pub use lift::Lift;
pub use quotient::Group;
pub use verdict::{Tolerances, Verdict};
