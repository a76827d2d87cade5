//! The model zoo: supervised pipelines with named taps, built on burn, with
//! their data, training and storage.

pub mod data;
pub mod io;
