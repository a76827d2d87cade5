pub mod linear;
pub mod plot;
