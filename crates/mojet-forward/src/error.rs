//! Errors of the forward-mode decorator, and the panic that ops without a tangent rule raise.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use burn::tensor::DType;

/// Start of the panic message raised by an op that has no tangent rule. The op name follows it.
const MISSING_RULE_PREFIX: &str = "forward mode: no tangent rule for ";

/// An op without a tangent rule received an input that carries tangents.
///
/// Returned by [`try_jvp`]. Backend ops cannot return `Result`, so the op panics and `try_jvp`
/// turns that panic back into this error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "forward mode: no tangent rule for {op}. Detach its input or add the rule to mojet-forward"
)]
pub struct MissingRule {
    /// Name of the backend op, as in burn's op traits (for example `float_cumprod`).
    pub op: String,
}

/// A tangent that does not fit its primal, rejected by [`dual`](crate::dual) and
/// [`ForwardTensor::new`](crate::ForwardTensor::new).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TangentShapeError {
    /// The tangent shape is not `[K, ...primal_shape]`.
    #[error(
        "tangent of shape {tangent:?} does not fit a primal of shape {primal:?}; \
         expected [K, ...primal_shape] with the directions on axis 0"
    )]
    Shape {
        /// Shape of the primal.
        primal: Vec<usize>,
        /// Shape of the rejected tangent.
        tangent: Vec<usize>,
    },
    /// The tangent dtype differs from the primal dtype.
    #[error("tangent dtype {tangent:?} differs from primal dtype {primal:?}, so cast the tangent")]
    DType {
        /// Dtype of the primal.
        primal: DType,
        /// Dtype of the rejected tangent.
        tangent: DType,
    },
}

/// A target module that does not match the source module in [`lift_module`](crate::lift_module).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiftModuleError {
    /// The modules have different numbers of parameters of one kind.
    #[error(
        "the source module has {in_source} {kind} parameters but the target has {in_target}; \
         build the target from the same config on Forward<B>"
    )]
    Count {
        /// Parameter kind: `float`, `int` or `bool`.
        kind: &'static str,
        /// Number of parameters of that kind in the source.
        in_source: usize,
        /// Number of parameters of that kind in the target.
        in_target: usize,
    },
    /// A parameter has different shapes in the two modules.
    #[error(
        "parameter {index} (in visit order) has shape {in_source:?} in the source module but \
         {in_target:?} in the target; build the target from the same config on Forward<B>"
    )]
    Shape {
        /// Position of the parameter in visit order, over all kinds.
        index: usize,
        /// Shape in the source module.
        in_source: Vec<usize>,
        /// Shape in the target module.
        in_target: Vec<usize>,
    },
}

/// Panics because `op` received a tangent and has no rule for it.
///
/// The message starts with `forward mode: no tangent rule for {op}` so that [`try_jvp`] can
/// recover the op name.
pub(crate) fn no_rule(op: &str) -> ! {
    panic!(
        "{MISSING_RULE_PREFIX}{op}, and an input carries tangents. Detach that input or add the \
         rule to mojet-forward"
    )
}

/// Runs `f` and turns a panic raised by an op without a tangent rule into [`MissingRule`].
///
/// Other panics resume unwinding unchanged. The panic hook still runs, so the missing-rule
/// message is printed to stderr before the error is returned.
///
/// # Errors
///
/// Returns [`MissingRule`] naming the op when an op reached by `f` has no tangent rule and one
/// of its inputs carries tangents.
pub fn try_jvp<F, R>(f: F) -> Result<R, MissingRule>
where
    F: FnOnce() -> R,
{
    // `f` is run to completion or abandoned as a whole, so no broken invariant it leaves
    // behind is observed after the unwind.
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Ok(value),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied());
            let op = message
                .and_then(|message| message.strip_prefix(MISSING_RULE_PREFIX))
                .map(|rest| {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    &rest[..end]
                })
                .filter(|op| !op.is_empty());
            match op {
                Some(op) => Err(MissingRule { op: op.to_owned() }),
                None => resume_unwind(payload),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_jvp_reports_missing_rule() {
        let result: Result<(), _> = try_jvp(|| no_rule("float_cummax"));
        assert_eq!(
            result,
            Err(MissingRule {
                op: "float_cummax".to_owned()
            })
        );
    }

    #[test]
    fn try_jvp_returns_value() {
        assert_eq!(try_jvp(|| 3), Ok(3));
    }

    #[test]
    fn try_jvp_resumes_other_panics() {
        let caught = catch_unwind(|| try_jvp(|| panic!("{}", String::from("index out of range"))));
        let payload = caught.expect_err("the panic resumes");
        assert_eq!(
            payload.downcast_ref::<String>().map(String::as_str),
            Some("index out of range")
        );
    }

    #[test]
    fn missing_rule_message_names_op() {
        let error = MissingRule {
            op: "float_cumprod".to_owned(),
        };
        assert_eq!(
            error.to_string(),
            "forward mode: no tangent rule for float_cumprod. Detach its input or add the rule \
             to mojet-forward"
        );
    }
}
