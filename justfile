# Recipes for mojet. `just --list` shows them all.

# Build profile for runs: release, so reproductions take minutes, not hours.
release := "--release"

# Run the whole test suite (the command CI runs).
test:
    cargo test --workspace

# Reproduce the linear results (figures, CSVs, summary.json) into OUT.
reproduce-linear CONFIG="configs/reproduce-linear.toml" OUT="results/linear":
    cargo build {{release}} -p mojet-cli
    target/release/mojet reproduce linear --config {{CONFIG}} --out {{OUT}}

# Reproduce the deep regression results D1 and D2 into OUT.
reproduce-deep CONFIG="configs/reproduce-deep.toml" OUT="results/deep":
    cargo build {{release}} -p mojet-cli
    target/release/mojet reproduce deep --config {{CONFIG}} --out {{OUT}}

# Reproduce the classification results C1 into OUT.
reproduce-classification CONFIG="configs/reproduce-classification.toml" OUT="results/classification":
    cargo build {{release}} -p mojet-cli
    target/release/mojet reproduce classification --config {{CONFIG}} --out {{OUT}}

# Reproduce the linear, deep regression and classification results into
# results/, with the default configs.
reproduce-all: reproduce-linear reproduce-deep reproduce-classification

# Train a pipeline from a config: `just train configs/linear-diabetes.toml 1`.
train CONFIG SEED="0":
    cargo run {{release}} -p mojet-cli -- train --config {{CONFIG}} --seed {{SEED}}

# Train the diabetes pipeline with three seeds and diagnose them.
diagnose-diabetes CONFIG="configs/linear-diabetes.toml":
    #!/usr/bin/env bash
    set -euo pipefail
    cargo build {{release}} -p mojet-cli
    name=$(basename {{CONFIG}} .toml)
    for seed in 1 2 3; do
        target/release/mojet train --config {{CONFIG}} --seed $seed --out runs/$name-seed$seed
    done
    target/release/mojet diagnose --models runs/$name-seed1 runs/$name-seed2 runs/$name-seed3 --out runs/$name-diagnosis

# Format and lint.
check:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

# Create bench/.venv with JAX and NumPy for the benchmark's Python peers.
# PyTorch is optional: `bench/.venv/bin/pip install torch` (several GB).
bench-setup:
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install "jax[cpu]" numpy

# Time mojet's jets against the peers installed in bench/.venv, interleaved;
# writes bench/out/summary.md and the sweep figures in bench/figures.
bench *ARGS:
    cargo build {{release}} -p mojet-bench
    target/release/mojet-bench all {{ARGS}}
