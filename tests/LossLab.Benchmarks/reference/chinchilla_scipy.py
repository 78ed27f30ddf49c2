#!/usr/bin/python3
"""SciPy reference for the Chinchilla Approach-3 grid fit (Besiroglu et al. 2024, arXiv:2404.10102).

Fits log L = LSE(a - alpha*log N, b - beta*log D, e) to the runs of data/chinchilla/svg_extracted_data.csv without the
5 highest-loss runs (240 points, D = C/(6N)) by minimising the sum of Huber(delta=1e-3) losses of log residuals with
scipy.optimize.minimize(method="L-BFGS-B", default options, finite-difference gradient) from each of the 4,500 points
of Hoffmann et al.'s grid, taken in product(alpha, beta, e, a, b) order; the first successful start with a strictly
lower objective wins. Prints one JSON line: objective, parameters, winning start, wall and CPU seconds.

Usage: /usr/bin/python3 chinchilla_scipy.py [serial|pool2] [path/to/svg_extracted_data.csv]
Needs Debian's python3-scipy (scipy 1.10.1, numpy 1.24.2). Run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1.
"""
import csv
import itertools
import json
import multiprocessing
import os
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import huber, logsumexp

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "..", "data", "chinchilla", "svg_extracted_data.csv")

LOG_N = LOG_D = LOG_L = None


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["Model Size"]) for r in rows])
    c = np.array([float(r["Training FLOP"]) for r in rows])
    loss = np.array([float(r["loss"]) for r in rows])
    keep = np.argsort(-loss)[5:]          # drop the 5 highest-loss runs
    keep.sort()
    n, c, loss = n[keep], c[keep], loss[keep]
    return np.log(n), np.log(c / (6 * n)), np.log(loss)


def objective(theta):
    a, b, e, alpha, beta = theta
    pred = logsumexp(np.stack([a - alpha * LOG_N, b - beta * LOG_D, np.full_like(LOG_N, e)]), axis=0)
    return np.sum(huber(1e-3, pred - LOG_L))


def init(path):
    global LOG_N, LOG_D, LOG_L
    LOG_N, LOG_D, LOG_L = load(path)


def fit_one(start):
    res = minimize(objective, np.array(start, dtype=float), method="L-BFGS-B")
    return bool(res.success), float(res.fun), [float(v) for v in res.x], int(res.nfev)


def grid():
    # Epoch's loop order product(alpha, beta, e, a, b), stored as starts (a, b, e, alpha, beta).
    alphas = betas = np.arange(0, 2.5, 0.5)
    es = np.arange(-1, 1.5, 0.5)
    as_ = bs = np.arange(0, 30, 5)
    return [[float(a), float(b), float(e), float(al), float(be)]
            for al, be, e, a, b in itertools.product(alphas, betas, es, as_, bs)]


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "serial"
    path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_DATA
    init(path)
    starts = grid()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if mode == "serial":
        results = [fit_one(s) for s in starts]
        children_cpu = 0.0
    elif mode == "pool2":
        t0 = os.times()
        with multiprocessing.Pool(2, initializer=init, initargs=(path,)) as pool:
            results = pool.map(fit_one, starts, chunksize=25)
        t1 = os.times()
        children_cpu = (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
    else:
        raise SystemExit(f"unknown mode {mode!r}: use serial or pool2")
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0 + children_cpu
    best, best_index = None, -1
    for i, (ok, fun, x, _) in enumerate(results):
        if ok and (best is None or fun < best[1]):
            best, best_index = (ok, fun, x), i
    a, b, e, alpha, beta = best[2]
    print(json.dumps({
        "mode": mode, "points": int(LOG_N.size), "starts": len(starts),
        "successful": int(sum(r[0] for r in results)), "evaluations": int(sum(r[3] for r in results)),
        "objective": float(best[1]), "A": float(np.exp(a)), "B": float(np.exp(b)), "E": float(np.exp(e)),
        "alpha": float(alpha), "beta": float(beta), "best_index": int(best_index), "best_start": starts[best_index],
        "wall_seconds": float(wall), "cpu_seconds": float(cpu),
    }))


if __name__ == "__main__":
    main()
