//! Reductions, max and min, sort and top-k on random shapes.

use burn::tensor::Tensor;
use burn::tensor::backend::Backend;

use crate::common::{Op, check_op, for_random_shapes, forward_jvp};

macro_rules! case {
    ($name:ident, $di:literal => $do:literal, $max:expr, $x:ident => $body:expr) => {
        case!($name, $di => $do, $max, (-2.0, 2.0), true, $x => $body);
    };
    ($name:ident, $di:literal => $do:literal, $max:expr, $domain:expr, $reverse:expr, $x:ident => $body:expr) => {
        #[test]
        fn $name() {
            struct Case;
            impl Op<$di, $do> for Case {
                fn apply<Bk: Backend>(&self, $x: Tensor<Bk, $di>) -> Tensor<Bk, $do> {
                    $body
                }
            }
            for_random_shapes::<$di>($max, |shape, seed| {
                check_op(&Case, shape, 3, $domain, seed, $reverse);
            });
        }
    };
}

case!(sum, 3 => 1, 4, x => x.sum());
case!(mean, 3 => 1, 4, x => x.mean());
case!(sum_dim, 3 => 3, 4, x => x.sum_dim(1));
case!(mean_dim, 3 => 3, 4, x => x.mean_dim(2));
// burn-autodiff 0.21 differentiates prod as exp(sum(log x)), which is NaN for negative inputs,
// so reverse mode is the reference on positive inputs only.
case!(prod, 3 => 1, 3, (-2.0, 2.0), false, x => x.prod());
case!(prod_dim, 3 => 3, 4, (-2.0, 2.0), false, x => x.prod_dim(1));
case!(prod_positive, 3 => 1, 3, (0.2, 2.0), true, x => x.prod());
case!(prod_dim_positive, 3 => 3, 4, (0.2, 2.0), true, x => x.prod_dim(2));
case!(max, 3 => 1, 4, x => x.max());
case!(min, 3 => 1, 4, x => x.min());
case!(max_dim, 3 => 3, 4, x => x.max_dim(1));
case!(min_dim, 3 => 3, 4, x => x.min_dim(0));
case!(max_dim_with_indices, 3 => 3, 4, x => x.max_dim_with_indices(2).0);
case!(max_abs, 3 => 1, 4, x => x.max_abs());
case!(sort, 3 => 3, 4, x => x.sort(1));
case!(sort_descending, 3 => 3, 4, x => x.sort_descending(2));
case!(sort_with_indices, 3 => 3, 4, x => x.sort_with_indices(0).0);
// burn-autodiff 0.21 does not implement topk, so central differences are the only reference.
case!(topk, 3 => 3, 4, (-2.0, 2.0), false, x => {
    // burn requires k below the axis size, so the axis is doubled first.
    let [_, _, c] = x.dims();
    Tensor::cat(vec![x.clone(), x.exp()], 2).topk(c, 2)
});
case!(cumsum, 3 => 3, 4, x => x.cumsum(1));
case!(variance, 3 => 3, 4, x => x.var(2));
case!(sum_of_squares, 3 => 1, 4, x => x.powi_scalar(2).sum().sqrt());

/// The product rule stays exact where the input has zeros, where `prod / x` would divide by
/// zero.
#[test]
fn prod_dim_exact_at_zeros() {
    struct Case;
    impl Op<2, 2> for Case {
        fn apply<Bk: Backend>(&self, x: Tensor<Bk, 2>) -> Tensor<Bk, 2> {
            x.prod_dim(1)
        }
    }
    // Row 0 has one zero: its derivative is the product of the others along that entry only.
    // Row 1 has two zeros: every first-order derivative vanishes.
    let x = [2.0, 0.0, 3.0, 0.0, 5.0, 0.0];
    let u = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let (jvp, primal, _) = forward_jvp(&Case, &x, [2, 3], &u, 1);
    assert_eq!(primal, vec![0.0, 0.0]);
    assert_eq!(jvp, vec![6.0, 0.0]);
}
