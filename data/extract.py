"""Write the shipped CSV data sets from the copies bundled with scikit-learn.

Run from the repository root with scikit-learn installed:

    python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn
    /tmp/skl/bin/python data/extract.py

The loaders read files inside the scikit-learn package, so nothing is
downloaded. Each output has a header row, the feature columns, then one target
column. Numbers are written in the shortest decimal form that reads back to the
same float64, and whole numbers are written without a decimal point.
"""

import csv
import re
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine

OUT = Path(__file__).resolve().parent


def snake_case(name):
    """Convert a feature name such as "mean concave points" to "mean_concave_points"."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def format_number(value):
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return np.format_float_positional(value, unique=True, trim="-")


def write(name, feature_names, x, target_name, y):
    path = OUT / name
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(list(feature_names) + [target_name])
        for row, target in zip(x, y):
            writer.writerow([format_number(v) for v in row] + [format_number(target)])
    print(f"{path.name}: {x.shape[0]} rows, {x.shape[1]} features + 1 target")


def main():
    print(f"scikit-learn {sklearn.__version__}")

    diabetes = load_diabetes(scaled=False)
    write("diabetes.csv", diabetes.feature_names, diabetes.data, "progression", diabetes.target)

    cancer = load_breast_cancer()
    names = [snake_case(n) for n in cancer.feature_names]
    write("breast_cancer.csv", names, cancer.data, "label", cancer.target)

    wine = load_wine()
    names = [snake_case(n) for n in wine.feature_names]
    write("wine.csv", names, wine.data, "label", wine.target)

    digits = load_digits()
    names = [f"p{i}" for i in range(digits.data.shape[1])]
    write("digits.csv", names, digits.data, "label", digits.target)


if __name__ == "__main__":
    main()
