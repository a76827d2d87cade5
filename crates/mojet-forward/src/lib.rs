//! Forward-mode automatic differentiation for burn: placeholder, being written.
