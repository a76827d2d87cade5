//! Benchmark of mojet's forward-mode jets against JAX `jit(vmap(jvp))` and
//! PyTorch `torch.func.vmap(jvp)` on a tanh MLP, with every tap's jet
//! computed from the same weights, base points and directions.

pub mod config;
pub mod driver;
pub mod files;
pub mod jets;
pub mod memory;
pub mod model;
pub mod peak;
pub mod report;
pub mod sgemm;
pub mod stats;
pub mod suite;
pub mod worker;
