//! Shape, indexing and linear-algebra ops on random shapes.

use burn::tensor::backend::Backend;
use burn::tensor::{Bool, Int, Tensor, TensorData, s};

use crate::common::{Op, check_op, fixed, for_random_shapes};

/// Defines a test that checks `$body`, a function of `$x: Tensor<_, $di>` returning
/// `Tensor<_, $do>`, on random shapes with axes of size 1 to `$max`.
macro_rules! case {
    ($name:ident, $di:literal => $do:literal, $max:expr, $x:ident => $body:expr) => {
        case!($name, $di => $do, $max, true, $x => $body);
    };
    ($name:ident, $di:literal => $do:literal, $max:expr, $reverse:expr, $x:ident => $body:expr) => {
        #[test]
        fn $name() {
            struct Case;
            impl Op<$di, $do> for Case {
                fn apply<Bk: Backend>(&self, $x: Tensor<Bk, $di>) -> Tensor<Bk, $do> {
                    $body
                }
            }
            for_random_shapes::<$di>($max, |shape, seed| {
                check_op(&Case, shape, 3, (-2.0, 2.0), seed, $reverse);
            });
        }
    };
}

/// Returns int indices in `[0, bound)`, identical on every backend.
fn indices<Bk: Backend, const D: usize>(
    shape: [usize; D],
    bound: usize,
    seed: u64,
) -> Tensor<Bk, D, Int> {
    let n: usize = shape.iter().product();
    let mut rng = crate::common::Rng::new(seed);
    let values: Vec<i64> = (0..n)
        .map(|_| (rng.uniform(0.0, bound as f64) as i64).min(bound as i64 - 1))
        .collect();
    Tensor::from_data(TensorData::new(values, shape), &Default::default())
}

/// Returns a fixed random mask, identical on every backend.
fn mask<Bk: Backend, const D: usize>(shape: [usize; D], seed: u64) -> Tensor<Bk, D, Bool> {
    fixed::<Bk, D>(shape, seed, -1.0, 1.0).greater_elem(0.0)
}

case!(reshape, 3 => 2, 4, x => {
    let [a, b, c] = x.dims();
    x.reshape([a * b, c])
});
case!(flatten_then_unsqueeze, 3 => 4, 4, x => x.flatten::<1>(0, 2).unsqueeze::<4>());
case!(swap_dims, 3 => 3, 4, x => x.swap_dims(0, 2));
case!(transpose, 3 => 3, 4, x => x.transpose());
case!(permute, 3 => 3, 4, x => x.permute([2, 0, 1]));
case!(flip, 3 => 3, 4, x => x.flip([0, 2]));
case!(slice, 3 => 3, 4, x => {
    let [a, _, c] = x.dims();
    x.slice(s![0..a, .., (c - 1)..c])
});
case!(slice_step, 3 => 3, 5, x => x.slice(s![.., .., 0..;2]));
case!(narrow, 3 => 3, 4, x => {
    let [_, b, _] = x.dims();
    x.narrow(1, b / 2, b - b / 2)
});
case!(slice_assign_dual_value, 3 => 3, 4, x => {
    let [a, b, c] = x.dims();
    let value = x.clone().slice(s![0..1, .., ..]).exp();
    let _ = (a, b, c);
    x.slice_assign(s![(a - 1)..a, .., ..], value)
});
case!(slice_assign_constant_value, 3 => 3, 4, x => {
    let [_, b, c] = x.dims();
    x.slice_assign(s![0..1, .., ..], fixed::<Bk, 3>([1, b, c], 21, -1.0, 1.0))
});
case!(slice_assign_into_constant, 3 => 3, 4, x => {
    let [a, b, c] = x.dims();
    let base = fixed::<Bk, 3>([a + 1, b, c], 22, -1.0, 1.0);
    base.slice_assign(s![1.., .., ..], x)
});
case!(cat_dual_and_constant, 3 => 3, 4, x => {
    let [a, b, c] = x.dims();
    Tensor::cat(vec![x.clone().sin(), fixed::<Bk, 3>([a, b, 2], 23, -1.0, 1.0), x * c as f64], 2)
});
case!(expand, 3 => 4, 4, x => {
    let [a, b, c] = x.dims();
    x.unsqueeze_dim::<4>(1).expand([a, 3, b, c])
});
// burn-autodiff 0.21 sums the gradient of repeat_dim as if elements were repeated in place
// ([a, a, b, b]) while the op tiles ([a, b, a, b]), so reverse mode is no reference here.
case!(repeat_dim, 3 => 3, 3, false, x => x.repeat_dim(1, 3));
case!(repeat_dim_single, 3 => 3, 3, true, x => x.narrow(1, 0, 1).repeat_dim(1, 3));
case!(gather, 3 => 3, 4, x => {
    let [a, b, c] = x.dims();
    x.gather(1, indices::<Bk, 3>([a, b + 1, c], b, 24))
});
case!(select, 3 => 3, 4, x => {
    let [_, _, c] = x.dims();
    x.select(2, indices::<Bk, 1>([c + 2], c, 25))
});
case!(select_add_dual_value, 3 => 3, 4, x => {
    let [a, b, c] = x.dims();
    let value = x.clone().cos();
    let base = fixed::<Bk, 3>([a, b, c], 26, -1.0, 1.0);
    base.select_assign(0, indices::<Bk, 1>([a], a, 27), value, burn::tensor::IndexingUpdateOp::Add) + x
});
case!(scatter_add, 3 => 3, 4, x => {
    let [a, b, c] = x.dims();
    let base = x.clone().exp();
    base.scatter(1, indices::<Bk, 3>([a, b, c], b, 28), x, burn::tensor::IndexingUpdateOp::Add)
});
case!(mask_where_dual_both, 3 => 3, 4, x => {
    let shape = x.dims();
    x.clone().mask_where(mask::<Bk, 3>(shape, 29), x.exp())
});
case!(mask_where_constant_value, 3 => 3, 4, x => {
    let shape = x.dims();
    x.mask_where(mask::<Bk, 3>(shape, 30), fixed::<Bk, 3>(shape, 31, -1.0, 1.0))
});
case!(mask_where_into_constant, 3 => 3, 4, x => {
    let shape = x.dims();
    fixed::<Bk, 3>(shape, 32, -1.0, 1.0).mask_where(mask::<Bk, 3>(shape, 33), x)
});
case!(mask_fill, 3 => 3, 4, x => {
    let shape = x.dims();
    x.mask_fill(mask::<Bk, 3>(shape, 34), 0.5)
});
case!(unfold, 3 => 4, 5, x => {
    let [_, b, _] = x.dims();
    x.unfold::<4, _>(1, b.div_ceil(2), 1)
});
case!(matmul_constant_weight, 2 => 2, 5, x => {
    let [_, d] = x.dims();
    x.matmul(fixed::<Bk, 2>([d, 3], 35, -1.0, 1.0))
});
case!(matmul_constant_left, 2 => 2, 5, x => {
    let [n, _] = x.dims();
    fixed::<Bk, 2>([4, n], 36, -1.0, 1.0).matmul(x)
});
case!(matmul_dual_both, 2 => 2, 5, x => x.clone().matmul(x.transpose().tanh()));
case!(matmul_batched_broadcast, 3 => 3, 4, x => {
    let [_, _, c] = x.dims();
    x.matmul(fixed::<Bk, 3>([1, c, 2], 37, -1.0, 1.0))
});
case!(matmul_batched_dual, 3 => 3, 4, x => x.clone().matmul(x.swap_dims(1, 2).sin()));
case!(cross, 2 => 2, 4, x => {
    let [n, _] = x.dims();
    let left = x.clone().slice(s![.., 0..1]).repeat_dim(1, 3) * fixed::<Bk, 2>([n, 3], 38, -1.0, 1.0);
    left.cross(x.slice(s![.., 0..1]).exp().repeat_dim(1, 3), 1)
});

/// Returns `m` index rows `[i, j]` with `i < a` and `j < b`, identical on every backend.
fn index_pairs<Bk: Backend>(m: usize, a: usize, b: usize, seed: u64) -> Tensor<Bk, 2, Int> {
    let mut rng = crate::common::Rng::new(seed);
    let mut values = Vec::with_capacity(2 * m);
    for _ in 0..m {
        values.push((rng.uniform(0.0, a as f64) as i64).min(a as i64 - 1));
        values.push((rng.uniform(0.0, b as f64) as i64).min(b as i64 - 1));
    }
    Tensor::from_data(TensorData::new(values, [m, 2]), &Default::default())
}

// burn-autodiff 0.21 has no backward for the nd indexing ops on ndarray, so central differences
// are the reference.
case!(gather_nd, 3 => 2, 4, false, x => {
    let [a, b, _] = x.dims();
    x.gather_nd::<2, 2>(index_pairs::<Bk>(3, a, b, 51))
});
case!(scatter_nd_add, 3 => 3, 4, false, x => {
    let [a, b, c] = x.dims();
    let rows = indices::<Bk, 2>([2, 1], a, 52);
    let values = x.clone().narrow(0, 0, 1).repeat_dim(0, 2).sin() + fixed::<Bk, 3>([2, b, c], 53, -1.0, 1.0);
    x.scatter_nd::<2, 3>(rows, values, burn::tensor::IndexingUpdateOp::Add)
});
case!(scatter_nd_assign_constant, 3 => 3, 4, false, x => {
    let [a, b, c] = x.dims();
    let rows = indices::<Bk, 2>([1, 1], a, 54);
    x.scatter_nd::<2, 3>(rows, fixed::<Bk, 3>([1, b, c], 55, -1.0, 1.0), burn::tensor::IndexingUpdateOp::Assign)
});
case!(expand_new_axes, 2 => 4, 4, x => {
    let [a, b] = x.dims();
    x.expand([2, 3, a, b])
});
