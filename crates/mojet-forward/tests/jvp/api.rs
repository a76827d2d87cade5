//! The public API: lifting, reading back, module lifting and errors.

use burn::nn::{LinearConfig, Relu};
use burn::tensor::Tensor;
use burn::tensor::backend::Backend;
use mojet_forward::{
    Forward, LiftModuleError, TangentShapeError, constant, dual, dual_primitive, lift_module,
    primal, tangent,
};

use crate::common::{Fwd, Inner, fixed};

#[test]
fn dual_rejects_misshaped_tangents() {
    let x = fixed::<Inner, 2>([3, 4], 60, -1.0, 1.0);
    let u = fixed::<Inner, 3>([2, 4, 3], 61, -1.0, 1.0);
    let error = dual(x, u).expect_err("the tangent is [K, d, N], not [K, N, d]");
    assert_eq!(
        error,
        TangentShapeError::Shape {
            primal: vec![3, 4],
            tangent: vec![2, 4, 3],
        }
    );
    assert_eq!(
        error.to_string(),
        "tangent of shape [2, 4, 3] does not fit a primal of shape [3, 4]; \
         expected [K, ...primal_shape] with the directions on axis 0"
    );
}

#[test]
fn dual_primitive_accepts_missing_tangent() {
    let x = fixed::<Inner, 2>([3, 4], 62, -1.0, 1.0);
    let lifted = dual_primitive::<Inner, 2>(x.clone().into_primitive().tensor(), None)
        .expect("no tangent to check");
    assert!(tangent::<Inner, 2, 3>(&lifted).is_none());
    primal(&lifted).into_data().assert_eq(&x.into_data(), true);
}

#[test]
fn primal_and_tangent_round_trip() {
    let x = fixed::<Inner, 2>([3, 4], 63, -1.0, 1.0);
    let u = fixed::<Inner, 3>([2, 3, 4], 64, -1.0, 1.0);
    let lifted = dual(x.clone(), u.clone()).expect("tangent fits");
    primal(&lifted).into_data().assert_eq(&x.into_data(), true);
    let read: Tensor<Inner, 3> = tangent(&lifted).expect("tangent kept");
    read.into_data().assert_eq(&u.into_data(), true);
}

#[test]
fn constant_has_no_tangent_through_ops() {
    let x = constant(fixed::<Inner, 2>([3, 4], 65, -1.0, 1.0));
    let y = (x.clone().exp() * x).sum_dim(1);
    assert!(tangent::<Inner, 2, 3>(&y).is_none());
}

#[test]
fn detach_drops_tangent() {
    let x = fixed::<Inner, 2>([3, 4], 66, -1.0, 1.0);
    let u = fixed::<Inner, 3>([2, 3, 4], 67, -1.0, 1.0);
    let y = dual(x, u).expect("tangent fits").detach();
    assert!(tangent::<Inner, 2, 3>(&y).is_none());
}

#[test]
fn piecewise_constant_ops_have_no_tangent() {
    let x = fixed::<Inner, 2>([3, 4], 68, -2.0, 2.0);
    let u = fixed::<Inner, 3>([2, 3, 4], 69, -1.0, 1.0);
    let lifted = dual(x, u).expect("tangent fits");
    for y in [
        lifted.clone().round(),
        lifted.clone().floor(),
        lifted.clone().ceil(),
        lifted.clone().sign(),
    ] {
        assert!(tangent::<Inner, 2, 3>(&y).is_none());
    }
}

#[test]
fn mismatched_direction_counts_panic() {
    let x = fixed::<Inner, 2>([3, 4], 70, -1.0, 1.0);
    let two = dual(x.clone(), fixed::<Inner, 3>([2, 3, 4], 71, -1.0, 1.0)).expect("fits");
    let three = dual(x, fixed::<Inner, 3>([3, 3, 4], 72, -1.0, 1.0)).expect("fits");
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| two + three))
        .expect_err("K differs");
    let message = payload.downcast_ref::<String>().expect("formatted message");
    assert_eq!(
        message,
        "forward mode: float_add received tangents with 2 and 3 directions; \
         lift every input with the same number of directions"
    );
}

#[test]
fn lift_module_rejects_other_shapes() {
    let device = Default::default();
    let model = LinearConfig::new(4, 3).init::<Inner>(&device);
    let error = lift_module(&model, LinearConfig::new(4, 5).init::<Fwd>(&device))
        .expect_err("d_output differs");
    assert_eq!(
        error,
        LiftModuleError::Shape {
            index: 0,
            in_source: vec![4, 3],
            in_target: vec![4, 5],
        }
    );
}

#[test]
fn lift_module_rejects_other_parameter_counts() {
    let device = Default::default();
    let model = LinearConfig::new(4, 3).init::<Inner>(&device);
    let target = LinearConfig::new(4, 3)
        .with_bias(false)
        .init::<Fwd>(&device);
    let error = lift_module(&model, target).expect_err("the target has no bias");
    assert_eq!(
        error,
        LiftModuleError::Count {
            kind: "float",
            in_source: 2,
            in_target: 1,
        }
    );
}

#[test]
fn lift_module_accepts_modules_without_parameters() {
    let lifted = lift_module::<Inner, _, _>(&Relu::new(), Relu::new()).expect("nothing to move");
    let _ = lifted;
}

/// `Forward` decorates any backend, so `Forward<Wgpu>` is a backend too. This only checks the
/// claim at compile time, and no GPU runs here.
#[test]
fn forward_wgpu_is_a_backend() {
    fn assert_backend<B: Backend>() {}
    assert_backend::<Forward<burn::backend::Wgpu>>();
    assert_backend::<Forward<burn::backend::Autodiff<Inner>>>();
}

#[test]
fn missing_rule_panic_message() {
    let x = fixed::<Inner, 2>([3, 4], 73, -1.0, 1.0);
    let u = fixed::<Inner, 3>([2, 3, 4], 74, -1.0, 1.0);
    let lifted = dual(x, u).expect("tangent fits");
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lifted.cummax(1)))
        .expect_err("cummax has no rule");
    let message = payload.downcast_ref::<String>().expect("formatted message");
    assert_eq!(
        message,
        "forward mode: no tangent rule for float_cummax, and an input carries tangents. \
         Detach that input or add the rule to mojet-forward"
    );
}
