#!/usr/bin/env python3
"""Fits the confidence calibration (Platt scaling, one curve per layer) on the dev part of the
field corpus and prints the constants for src/weights.rs.

    PAYDOCTOR_CORPUS_DUMP=/tmp/cal.tsv cargo test --release --test corpus
    python3 tests/corpus/calibrate.py /tmp/cal.tsv

The dump holds the confidence paydoctor showed, already through the current constants; the
fit is composed with them (read from src/weights.rs), so running it again refines them."""
import math, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = os.path.join(HERE, "..", "..", "src", "weights.rs")
NAMES = {"entry": "CALIBRATION_ENTRY", "provider": "CALIBRATION_PROVIDER",
         "general": "CALIBRATION_GENERAL", "unknown": "CALIBRATION_UNKNOWN"}


def logit(p):
    p = min(max(p, 0.001), 0.999)
    return math.log(p / (1 - p))


def fit(points):
    """Logistic regression of right ~ a·logit(shown) + b by Newton's method, with a weak prior
    towards the identity (a = 1, b = 0) so that a small layer is not over-fitted."""
    a, b, prior = 1.0, 0.0, 2.0
    for _ in range(50):
        ga, gb = prior * (a - 1), prior * b
        haa, hab, hbb = prior, 0.0, prior
        for x, y in points:
            p = 1 / (1 + math.exp(-(a * x + b)))
            ga += (p - y) * x
            gb += p - y
            w = p * (1 - p)
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


def main(path):
    current = {}
    text = open(WEIGHTS).read()
    for layer, name in NAMES.items():
        m = re.search(name + r": \(f32, f32\) = \(([-0-9.]+), ([-0-9.]+)\)", text)
        current[layer] = (float(m.group(1)), float(m.group(2)))
    by_layer = {}
    for line in open(path):
        layer, shown, right = line.split("\t")
        by_layer.setdefault(layer, []).append((logit(float(shown)), int(right)))
    for layer, name in NAMES.items():
        pts = by_layer.get(layer, [])
        a0, b0 = current[layer]
        if not pts:
            print(f"pub const {name}: (f32, f32) = ({a0:.3f}, {b0:.3f}); // no dev answers")
            continue
        a1, b1 = fit(pts)
        # shown = sigmoid(a0·L + b0): the new curve sigmoid(a1·logit(shown) + b1) in terms of L
        a, b = a1 * a0, a1 * b0 + b1
        right = sum(y for _, y in pts)
        print(f"pub const {name}: (f32, f32) = ({a:.3f}, {b:.3f}); // {len(pts)} dev answers, {right} right")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
