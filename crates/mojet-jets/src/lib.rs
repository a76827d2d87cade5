//! Modular jets: the local linear response of every tap of a pipeline to a
//! design of input perturbations, and the diagnostics that compare them.

pub mod alignment;
pub mod assignment;
pub mod design;
pub mod jet;
pub mod linalg;
pub mod quotient;
