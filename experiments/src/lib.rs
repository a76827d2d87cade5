pub mod classification;
pub mod config_checks;
pub mod deep;
pub mod linear;
pub mod plot;
pub mod zoo;
