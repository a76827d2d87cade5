//! The pipeline trait every zoo model implements: an input, then named taps in
//! order, the last of which is the output.

use burn::tensor::{Tensor, backend::Backend};

/// A named intermediate representation of a pipeline and its width.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tap {
    /// Name of the tap, unique within its pipeline (for example `encoder`).
    pub name: String,
    /// Width `m` of the tap.
    pub width: usize,
}

impl Tap {
    /// Creates a tap description.
    pub fn new(name: &str, width: usize) -> Self {
        Self {
            name: name.to_string(),
            width,
        }
    }
}

/// A supervised model written as a chain of modules `f = h_L ∘ … ∘ h_1`.
///
/// The trait is object safe, so engines take `&dyn Pipeline<B>`.
pub trait Pipeline<B: Backend> {
    /// Width `d` of the input.
    fn input_width(&self) -> usize;

    /// The taps in forward order; the last one is the output.
    fn taps(&self) -> Vec<Tap>;

    /// Runs the pipeline and returns the value of every tap, in the order of
    /// [`Pipeline::taps`].
    ///
    /// # Shapes
    /// - `x`: `[batch, d]`
    /// - returns: one `[batch, m_l]` tensor per tap
    fn forward_taps(&self, x: Tensor<B, 2>) -> Vec<Tensor<B, 2>>;

    /// Runs the pipeline and returns its output tap.
    ///
    /// # Shapes
    /// - `x`: `[batch, d]`
    /// - returns: `[batch, m_L]`
    fn forward(&self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        self.forward_taps(x)
            .pop()
            .expect("a pipeline has at least one tap")
    }
}
