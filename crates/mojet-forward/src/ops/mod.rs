//! The op traits of burn's `Backend`, implemented for [`Forward`](crate::Forward).

mod activation;
mod bool;
mod float;
mod index;
mod int;
mod linalg;
mod module;
mod norm;
mod qtensor;
mod reduce;
