"""Jets of every tap of the benchmark MLP with JAX or PyTorch.

One process of this script is one worker of the Rust driver
(`mojet-bench`): it reads the inputs file that mojet wrote (`w{i}`, `b{i}`,
`x [N, d]`, `u [K, N, d]`), times the jets of every tap, optionally writes
them back as `tap{i}`, `[K, N, m_i]`, and prints one JSON line with the
timings and its peak resident memory.

The timed region starts from the inputs in host memory (NumPy) and ends with
every tap's jet in a host NumPy array of float32, like mojet's worker.
"""

import argparse
import json
import time

import numpy as np


def load_inputs(path):
    data = np.load(path)
    layer_count = sum(1 for name in data.files if name.startswith("w"))
    weights = [(data[f"w{i}"], data[f"b{i}"]) for i in range(layer_count)]
    return weights, data["x"], data["u"]


def peak_rss_kib():
    """Return VmHWM of /proc/self/status in KiB, or None outside Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def jax_jets(weights):
    """Return a function (x [C, d], u [K, C, d]) -> list of [K, C, m] arrays."""
    import jax
    import jax.numpy as jnp

    params = [(jnp.asarray(w), jnp.asarray(b)) for w, b in weights]

    def taps(params, x):
        values = []
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = jnp.tanh(h)
            values.append(h)
        return tuple(values)

    def jets(params, x, u):
        def along(direction):
            return jax.jvp(lambda x: taps(params, x), (x,), (direction,))[1]

        return jax.vmap(along)(u)

    compiled = jax.jit(jets)

    def run(x, u):
        return [np.asarray(jet) for jet in compiled(params, x, u)]

    return run


def torch_jets(weights):
    """Return a function (x [C, d], u [K, C, d]) -> list of [K, C, m] arrays."""
    import torch
    from torch.func import jvp, vmap

    params = [(torch.from_numpy(w), torch.from_numpy(b)) for w, b in weights]

    def taps(x):
        values = []
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = torch.tanh(h)
            values.append(h)
        return tuple(values)

    def run(x, u):
        x = torch.from_numpy(np.ascontiguousarray(x))
        u = torch.from_numpy(np.ascontiguousarray(u))
        jets = vmap(lambda direction: jvp(taps, (x,), (direction,))[1])(u)
        return [jet.numpy() for jet in jets]

    return run


def chunked(run, x, u, chunk_size):
    """Run over chunks of base points and gather each tap into [K, N, m]."""
    points = x.shape[0]
    if chunk_size >= points:
        return run(x, u)
    output = None
    for start in range(0, points, chunk_size):
        end = min(start + chunk_size, points)
        parts = run(x[start:end], u[:, start:end])
        if output is None:
            output = [
                np.empty((u.shape[0], points, part.shape[2]), np.float32)
                for part in parts
            ]
        for full, part in zip(output, parts):
            full[:, start:end] = part
    return output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=["jax", "torch"], required=True)
    parser.add_argument("--inputs", required=True, help="inputs .npz from mojet-bench")
    parser.add_argument("--warmup", type=int, default=1, help="untimed repetitions")
    parser.add_argument("--reps", type=int, default=1, help="timed repetitions")
    parser.add_argument("--chunk-size", type=int, required=True, help="base points per pass")
    parser.add_argument("--jets-out", help="where to write the last repetition's jets")
    args = parser.parse_args()

    weights, x, u = load_inputs(args.inputs)
    run = jax_jets(weights) if args.framework == "jax" else torch_jets(weights)
    for _ in range(args.warmup):
        chunked(run, x, u, args.chunk_size)
    times = []
    jets = None
    for _ in range(args.reps):
        jets = None
        start = time.perf_counter()
        jets = chunked(run, x, u, args.chunk_size)
        times.append(time.perf_counter() - start)
    if args.jets_out and jets is not None:
        np.savez(args.jets_out, **{f"tap{i}": jet for i, jet in enumerate(jets)})
    report = {"engine": args.framework, "times_s": times, "peak_rss_kib": peak_rss_kib()}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
