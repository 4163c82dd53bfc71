"""rnncourse's LSTM and GRU forward+backward next to PyTorch's CPU nn.LSTM / nn.GRU, in one run.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=. /work/bench-venv/bin/python benchmarks/gated_speed.py

(add ``--threads 1`` for a single-threaded diagnostic run of both sides). About 5 minutes.

torch is an optional benchmark dependency, never imported by the package or the tests: use a
separate venv with the project's numpy, threadpoolctl and the CPU build of torch, e.g.

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install numpy==<the project's numpy> threadpoolctl torch==2.13.0

Both sides get the same weights (the gate order mapped per the notation table, §4: torch's LSTM
is (i, f, g, o), so rows are permuted; torch's GRU z is 1 - ours, so the z rows are negated;
bias_hh = 0) and the same inputs. For every case the run first checks that the two agree (the
largest absolute difference of the states and of every gradient is printed), then times a
forward and a backward pass (input, initial state and parameter gradients, on both sides):
median of several runs after a warm-up, with all the machine's threads on both sides.
Each side is timed in a child process of its own that loads only its own library: numpy's
OpenBLAS threads and torch's OpenMP threads both spin for a while after each call, and in one
process on 2 cores they steal each other's cores (that made both sides several times slower
and the ratios meaningless). The children run three times, alternating, and the fastest median
of the three rounds is kept, which damps other load on the machine; the load average is
printed before and after, because 2-thread BLAS on a busy 2-core machine waits for its second
thread by whole scheduler ticks (a 0.6 ms product then takes 8-16 ms).

It also times a large float64 and float32 matrix product (in the rnncourse child, so under
the same conditions) to measure the machine's GEMM throughput, and reports the LSTM's achieved FLOP/s at H = 512 as a share of it. The FLOPs
counted are the model's: 6 N T (D + H) 4H (forward product, and the three backward products).
rnncourse runs with ``return_cache=True`` / ``cache=``, keeping the gates as torch's autograd
does; without the cache its backward recomputes them, one more large product.

The last line is
    gated_speed: worst float64 ratio X, worst float32 ratio Y, GEMM share Z%
with ratio = rnncourse time / torch time (worst over the shapes and both cells), and Z the
lower of the float64 and float32 shares at H = 512.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import rnncourse as rc

torch = None  # imported only where it is used, so that the rnncourse timing child never loads it

SHAPES = [  # (label, N, T, D, H)
    ("small", 4, 20, 16, 32),
    ("course", 32, 50, 64, 64),
    ("large", 32, 50, 512, 512),
]
DTYPES = [np.float64, np.float32]


def median_time(fn, min_runs=5, budget=2.0):
    fn()  # warm-up: first-call allocations and thread start-up
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < budget and len(times) < 50):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def lstm_to_torch_rows(H):
    # ours (i, f, omega, C_tilde) -> torch (i, f, g = C_tilde, o = omega)
    return np.r_[0:H, H : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]


def make_case(cell, N, T, D, H, dtype, rng):
    G = 4 if cell == "lstm" else 3
    p = {
        "X": rng.normal(size=(N, T, D)),
        "h0": rng.normal(0, 0.5, (N, H)),
        "C0": rng.normal(0, 0.5, (N, H)),
        "U": rng.normal(0, 1 / np.sqrt(D), (G * H, D)),
        "W": rng.normal(0, 1 / np.sqrt(H), (G * H, H)),
        "b": rng.normal(0, 0.5, G * H),
        "dHs": rng.normal(size=(N, T, H)),
    }
    return {k: v.astype(dtype) for k, v in p.items()}


def torch_module(cell, p, H):
    D = p["X"].shape[2]
    dtype = getattr(torch, p["X"].dtype.name)
    if cell == "lstm":
        mod = torch.nn.LSTM(D, H, batch_first=True, dtype=dtype)
        rows = lstm_to_torch_rows(H)
        sign = np.ones(4 * H, dtype=p["X"].dtype)
    else:
        mod = torch.nn.GRU(D, H, batch_first=True, dtype=dtype)
        rows = np.arange(3 * H)
        sign = np.ones(3 * H, dtype=p["X"].dtype)
        sign[H : 2 * H] = -1  # torch's z is 1 - ours: sigma(-a) = 1 - sigma(a)
    with torch.no_grad():
        mod.weight_ih_l0.copy_(torch.from_numpy(sign[:, None] * p["U"][rows]))
        mod.weight_hh_l0.copy_(torch.from_numpy(sign[:, None] * p["W"][rows]))
        mod.bias_ih_l0.copy_(torch.from_numpy(sign * p["b"][rows]))
        mod.bias_hh_l0.zero_()
    return mod, rows, sign


def run_ours(cell, p):
    if cell == "lstm":
        # Both sides keep the gates from the forward pass (torch's autograd saves them too).
        Hs, Cs, cache = rc.lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"], return_cache=True)
        grads = rc.lstm_backward(p["dHs"], p["X"], p["h0"], p["C0"], Hs, Cs, p["U"], p["W"], p["b"], cache=cache)
        dX, dh0, _, dU, dW, db = grads
    else:
        Hs, cache = rc.gru_forward(p["X"], p["h0"], p["U"], p["W"], p["b"], return_cache=True)
        dX, dh0, dU, dW, db = rc.gru_backward(p["dHs"], p["X"], p["h0"], Hs, p["U"], p["W"], p["b"], cache=cache)
    return Hs, dX, dh0, dU, dW, db


def run_torch(cell, mod, tensors):
    X, h0, C0, dHs = tensors
    for q in (X, h0, C0, *mod.parameters()):
        q.grad = None
    out, _ = mod(X, (h0[None], C0[None])) if cell == "lstm" else mod(X, h0[None])
    out.backward(dHs)
    return out


def compare(cell, p, mod, rows, sign, tensors):
    Hs, dX, dh0, dU, dW, db = run_ours(cell, p)
    out = run_torch(cell, mod, tensors)
    X, h0 = tensors[0], tensors[1]
    theirs = {
        "Hs": out.detach().numpy(),
        "dX": X.grad.numpy(),
        "dh0": h0.grad.numpy(),
        "dU": (sign[:, None] * mod.weight_ih_l0.grad.numpy())[np.argsort(rows)],
        "dW": (sign[:, None] * mod.weight_hh_l0.grad.numpy())[np.argsort(rows)],
        "db": (sign * mod.bias_ih_l0.grad.numpy())[np.argsort(rows)],
    }
    ours = {"Hs": Hs, "dX": dX, "dh0": dh0, "dU": dU, "dW": dW, "db": db}
    worst = 0.0
    for k in ours:
        scale = max(1.0, float(np.abs(theirs[k]).max()))
        worst = max(worst, float(np.abs(ours[k] - theirs[k]).max()) / scale)
    return worst


def gemm_flops(dtype, n=2048):
    A = np.random.default_rng(0).normal(size=(n, n)).astype(dtype)
    B = np.random.default_rng(1).normal(size=(n, n)).astype(dtype)
    t = median_time(lambda: A @ B, min_runs=5, budget=3.0)
    return 2 * n**3 / t


def blas_description():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS unknown"
    lines = []
    for info in threadpool_info():
        lines.append(
            f"{info.get('user_api')}: {info.get('internal_api')} {info.get('version')} "
            f"kernel={info.get('architecture')} threads={info.get('num_threads')} ({os.path.basename(info['filepath'])})"
        )
    return "\n  ".join(lines)


def cases():
    """Every (cell, label, N, T, D, H, dtype, params) in a fixed order, the same in every process."""
    rng = np.random.default_rng(0)
    for cell in ("lstm", "gru"):
        for label, N, T, D, H in SHAPES:
            for dt in DTYPES:
                yield cell, label, N, T, D, H, dt, make_case(cell, N, T, D, H, dt, rng)


def time_side(side, threads):
    """Child process: time one side on every case; print the medians (and, for rnncourse,
    the GEMM throughput measured under the same conditions) as JSON."""
    global torch
    times = []
    if side == "torch":
        import torch as _torch

        torch = _torch
        torch.set_num_threads(threads)
    else:
        times.append({np.dtype(dt).name: gemm_flops(dt) for dt in DTYPES})
    for cell, label, N, T, D, H, dt, p in cases():
        if side == "ours":
            times.append(median_time(lambda: run_ours(cell, p)))
        else:
            mod, _, _ = torch_module(cell, p, H)
            tensors = [torch.from_numpy(p[k].copy()).requires_grad_(k != "dHs") for k in ("X", "h0", "C0", "dHs")]
            times.append(median_time(lambda: run_torch(cell, mod, tensors)))
    print(json.dumps(times))


def child_times(side, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    cmd = [sys.executable, __file__, "--time", side, str(threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    global torch
    import torch as _torch

    torch = _torch
    threads = os.cpu_count()
    if len(sys.argv) == 3 and sys.argv[1] == "--threads":
        threads = int(sys.argv[2])  # a diagnostic; the budget is measured with all threads
    torch.set_num_threads(threads)
    print(f"numpy {np.__version__}, torch {torch.__version__}, {threads} CPU threads; torch threads {torch.get_num_threads()}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')!r} OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')!r}")
    print(f"thread pools of this process (the timing children run with {threads} thread(s) each):\n  " + blas_description())
    print(f"load average before: {os.getloadavg()}")
    print(f"torch mkldnn enabled: {torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled}")

    print()
    header = f"{'cell':5} {'shape':8} {'N,T,D,H':>16} {'dtype':8} {'agree':>9} {'rnncourse ms':>13} {'torch ms':>9} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    agreement = []
    for cell, label, N, T, D, H, dt, p in cases():
        mod, rows, sign = torch_module(cell, p, H)
        tensors = [torch.from_numpy(p[k].copy()).requires_grad_(k != "dHs") for k in ("X", "h0", "C0", "dHs")]
        agree = compare(cell, p, mod, rows, sign, tensors)
        limit = 1e-9 if dt == np.float64 else 1e-3
        assert agree < limit, f"{cell} {label} {np.dtype(dt).name}: rnncourse and torch differ by {agree:.3g}"
        agreement.append(agree)
    rounds = [(child_times("ours", threads), child_times("torch", threads)) for _ in range(3)]
    peak = {dt: max(r[0][0][np.dtype(dt).name] for r in rounds) for dt in DTYPES}
    t_ours_all = [min(r[0][k + 1] for r in rounds) for k in range(len(agreement))]
    t_torch_all = [min(r[1][k] for r in rounds) for k in range(len(agreement))]

    worst_ratio = {dt: 0.0 for dt in DTYPES}
    share = {}
    for k, (cell, label, N, T, D, H, dt, _) in enumerate(cases()):
        t_ours, t_torch = t_ours_all[k], t_torch_all[k]
        ratio = t_ours / t_torch
        worst_ratio[dt] = max(worst_ratio[dt], ratio)
        print(
            f"{cell:5} {label:8} {f'{N},{T},{D},{H}':>16} {np.dtype(dt).name:8} {agreement[k]:9.1e} "
            f"{t_ours * 1e3:13.2f} {t_torch * 1e3:9.2f} {ratio:6.2f}"
        )
        if cell == "lstm" and H == 512:
            flops = 6 * N * T * (D + H) * 4 * H
            share[dt] = (flops / t_ours / peak[dt], flops / t_torch / peak[dt])

    print(f"load average after: {os.getloadavg()}")
    for dt in DTYPES:
        print(f"GEMM 2048^3 {np.dtype(dt).name} ({threads} threads, best of 3): {peak[dt] / 1e9:.1f} GFLOP/s")
    print()
    for dt in DTYPES:
        ours, theirs = share[dt]
        print(f"LSTM H=512 {np.dtype(dt).name}: rnncourse {100 * ours:.0f}% of GEMM throughput, torch {100 * theirs:.0f}%")
    Z = 100 * min(share[dt][0] for dt in DTYPES)
    print(
        f"gated_speed: worst float64 ratio {worst_ratio[np.float64]:.2f}, "
        f"worst float32 ratio {worst_ratio[np.float32]:.2f}, GEMM share {Z:.0f}%"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--time":
        time_side(sys.argv[2], int(sys.argv[3]))
    else:
        main()
