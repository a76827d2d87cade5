//! The model zoo: supervised pipelines with named taps, built on burn, with
//! their data, training and storage.

pub mod activation;
pub mod config;
pub mod data;
pub mod head;
pub mod host;
pub mod init;
pub mod io;
pub mod linear;
pub mod mlp;
pub mod pca;
pub mod pipeline;
pub mod prepared;
pub mod store;
pub mod task;
pub mod train;
pub mod zoo;

pub use pipeline::{Pipeline, Tap};
pub use task::{Risk, Task};
pub use zoo::{ModelConfig, ModelKind, Zoo};
