//! Choosing the compute backend at run time from a config's `backend` field.

use burn::backend::Wgpu;
use burn::tensor::Tensor;

use crate::failure::Failure;

/// The CPU backend: burn-ndarray in single precision.
pub type Cpu = burn::backend::Autodiff<burn::backend::NdArray<f32>>;
/// The GPU backend: burn-wgpu.
pub type Gpu = burn::backend::Autodiff<Wgpu>;

/// Runs `$body` with the type alias `$b` bound to the autodiff backend the
/// [`mojet_models::config::BackendKind`] names.
macro_rules! with_backend {
    ($kind:expr, |$b:ident| $body:expr) => {
        match $kind {
            mojet_models::config::BackendKind::Ndarray => {
                type $b = $crate::backend::Cpu;
                $body
            }
            mojet_models::config::BackendKind::Wgpu => {
                $crate::backend::check_wgpu()?;
                type $b = $crate::backend::Gpu;
                $body
            }
        }
    };
}
pub(crate) use with_backend;

/// Checks that wgpu finds an adapter, so a missing driver is one clear error
/// and not a panic deep inside the first tensor operation.
///
/// # Errors
/// [`Failure::Input`] naming the fix when no adapter is present.
pub fn check_wgpu() -> Result<(), Failure> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let probe = std::panic::catch_unwind(|| {
        let device = Default::default();
        Tensor::<Wgpu, 1>::zeros([1], &device).into_data();
    });
    std::panic::set_hook(hook);
    probe.map_err(|_| {
        Failure::Input(
            "backend \"wgpu\": no GPU adapter found; install a Vulkan driver \
             (Debian: apt-get install mesa-vulkan-drivers) or set backend = \"ndarray\""
                .to_string(),
        )
    })
}
