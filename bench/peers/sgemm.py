"""Time a square float32 matrix product with NumPy and print one JSON line."""

import argparse
import json
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=4096, help="side n of [n, n] x [n, n]")
    parser.add_argument("--reps", type=int, default=3, help="timed products")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    a = rng.standard_normal((args.size, args.size), dtype=np.float32)
    b = rng.standard_normal((args.size, args.size), dtype=np.float32)
    a @ b
    times = []
    for _ in range(args.reps):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    median = float(np.median(times))
    report = {
        "library": f"numpy {np.__version__}",
        "size": args.size,
        "median_s": median,
        "gflops": 2.0 * args.size**3 / median / 1e9,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
