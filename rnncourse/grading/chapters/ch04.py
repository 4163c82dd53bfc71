"""Chapter 4, leaky units and echo state networks: assignment 04_leaky_esn."""

from __future__ import annotations

import numpy as np

from ... import esn, leaky
from ..checks import TestFailure, describe
from ..spec import Probe, Task, _value_of
from ._common import rnn_params as _rnn_params

def _cases_leaky_rnn_forward(rng):
    cases = []
    for N, T, D, H, gamma in [(1, 1, 1, 1, 1.0), (2, 1, 3, 4, 3.0), (1, 6, 2, 3, "per unit"), (5, 4, 3, 5, 10.0)]:
        p = _rnn_params(rng, D, H)
        g = rng.uniform(1.0, 6.0, H) if gamma == "per unit" else gamma
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}, gamma={'an array of shape (H,)' if gamma == 'per unit' else gamma}",
                {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)), **p, "gamma": g},
            )
        )
    return cases


def _cases_leaky_rnn_backward(rng):
    cases = []
    for label, kw in _cases_leaky_rnn_forward(rng):
        Hs = leaky.leaky_rnn_forward(**kw)
        cases.append((label, {"dHs": rng.normal(0, 1, Hs.shape), "X": kw["X"], "h0": kw["h0"], "Hs": Hs,
                              "U": kw["U"], "W": kw["W"], "gamma": kw["gamma"]}))
    return cases


def _fd_leaky_rnn_backward(kw, rng):
    X, h0, U, W, dHs, gamma = kw["X"], kw["h0"], kw["U"], kw["W"], kw["dHs"], kw["gamma"]
    b = rng.normal(0, 0.5, W.shape[0])
    kw = {**kw, "Hs": leaky.leaky_rnn_forward(X, h0, U, W, b, gamma)}
    f = lambda _: leaky.leaky_rnn_forward(X, h0, U, W, b, gamma)  # noqa: E731
    picks = [("dX", X), ("dh0", h0), ("dU", U), ("dW", W), ("db", b)]
    return kw, [(n, (lambda out, i=i: out[i]), v, f, dHs) for i, (n, v) in enumerate(picks)]


def _cases_ridge_readout(rng):
    cases = []
    for T_tr, H, K, mu in [(1, 1, 1, 0.1), (5, 3, 1, 1e-3), (40, 6, 3, 2.0), (8, 12, 2, 0.5)]:
        cases.append((f"T_tr={T_tr}, H={H}, K={K}, mu={mu}",
                      {"states": rng.normal(0, 1, (T_tr, H)), "targets": rng.normal(0, 1, (T_tr, K)), "mu": mu}))
    return cases


def _cases_memory_capacity(rng):
    cases = []
    for T, H, max_delay in [(40, 1, 2), (120, 5, 6), (300, 12, 15)]:
        p = esn.make_reservoir(H, 1, 0.9, rng, input_scale=0.5)
        x = rng.uniform(-1, 1, T)
        states = leaky.leaky_rnn_forward(x[None, :, None], np.zeros((1, H)), p["U"], p["W"], p["b"], 1.0)[0]
        cases.append((f"T={T}, H={H}, max_delay={max_delay}", {"x": x, "states": states, "max_delay": max_delay}))
    x = rng.uniform(-1, 1, 60)
    cases.append(("a shift register of 3 delays, mu=1e-3",
                  {"x": x, "states": np.stack([np.roll(x, j) for j in range(3)], axis=1), "max_delay": 4, "mu": 1e-3}))
    return cases


def _ring(H, wrap):
    """Units that pass their state on one by one, the last back to the first with weight ``wrap``.

    ``W^H = wrap I``: with ``wrap < 0`` and H even, no eigenvalue is real, and all have modulus |wrap|^(1/H).
    """
    W = np.diag(np.ones(H - 1), -1)
    W[0, H - 1] = wrap
    return W


def _cases_memory_capacity_by_radius(rng):
    cases = []
    x = rng.uniform(-1, 1, 40)
    cases.append(("H=1, W = [[-2]], one radius, T=40, max_delay=2",
                  {"x": x, "U": rng.uniform(-0.5, 0.5, (1, 1)), "W": np.array([[-2.0]]), "b": np.zeros(1),
                   "rhos": np.array([0.5]), "max_delay": 2}))
    U = np.zeros((4, 1))
    U[0, 0] = rng.uniform(0.05, 0.5)
    cases.append(("a ring of H=4 units whose eigenvalues are all complex, T=200, max_delay=6, mu=1e-8",
                  {"x": rng.uniform(-1, 1, 200), "U": U, "W": _ring(4, -1 / 16), "b": np.zeros(4),
                   "rhos": np.array([0.3, 0.9]), "max_delay": 6, "mu": 1e-8}))
    cases.append(("no input weights and no bias (the states stay zero), H=3, T=30",
                  {"x": rng.uniform(-1, 1, 30), "U": np.zeros((3, 1)), "W": rng.normal(0, 1, (3, 3)),
                   "b": np.zeros(3), "rhos": np.array([0.5, 1.0]), "max_delay": 3}))
    for T, H, rhos, max_delay in [(120, 5, [0.0, 0.5, 0.9, 1.2], 6), (300, 12, [0.95, 0.2, 1.1], 15)]:
        p = esn.make_reservoir(H, 1, 1.0, rng, input_scale=0.5, bias_scale=0.2)
        cases.append((f"T={T}, H={H}, rhos={rhos}, max_delay={max_delay}",
                      {"x": rng.uniform(-1, 1, T), "U": p["U"], "W": p["W"] * rng.uniform(0.2, 5.0), "b": p["b"],
                       "rhos": np.array(rhos), "max_delay": max_delay}))
    return cases


def _cases_esn_forecast(rng):
    cases = []
    for T, H, n_train, washout, gamma, mu in [(30, 1, 20, 0, 1.0, 1e-2), (120, 6, 90, 10, 2.0, 1e-3),
                                              (300, 20, 250, 50, "per unit", 1e-3)]:
        t = np.arange(T)
        x = np.sin(0.3 * t) + 0.5 * np.sin(0.07 * t + rng.uniform(0, 6))
        p = esn.make_reservoir(H, 1, 0.9, rng, input_scale=0.5, bias_scale=0.2)
        g = rng.uniform(1.0, 4.0, H) if gamma == "per unit" else gamma
        cases.append((f"T={T}, H={H}, n_train={n_train}, washout={washout}, gamma={gamma}, mu={mu}",
                      {"x": x, **p, "gamma": g, "n_train": n_train, "washout": washout, "mu": mu}))
    return cases


def _heldout_probes(task, rng):
    """Forecasts of Mackey-Glass series whose stretch and reservoir come from the grading seed.

    Each series starts from a random initial history after a random number of discarded
    samples, so that no notebook can carry the answer. The first 1200 of 1500 samples train
    the readout (washout 100, mu 1e-6); the last 300 are held out. One series is
    standardised, the other is used raw (mean near 0.9, not centred). The normalised mean
    squared error on the held-out part must be within a factor 2 of what the reference
    method reaches on the same data (about 1e-6; predicting the mean scores 1), so a
    forecaster passes only if it is as good as the method allows: one that also trains on
    the washout states, which still remember the initial state, fails.

    A one-step forecaster must read the series up to the value before each one it predicts,
    so the function is handed the held-out values it is scored on: returning them, or a
    readout of states that have already read them, scores an error of about 0. The
    predictions must therefore also be those of the method itself: their normalised mean
    squared difference from the reference's predictions must be below 1% of the reference's
    own error (correct solvers of the ridge problem agree to about 1e-5 of it, and the
    held-out values themselves are as far from the reference as its error).
    """
    probes = []
    for kind in ("standardised", "raw"):
        chi = esn.mackey_glass(1500, x0=float(rng.uniform(0.5, 1.5)), discard=int(rng.integers(300, 1500)))
        x = (chi - chi.mean()) / chi.std() if kind == "standardised" else chi
        p = esn.make_reservoir(100, 1, 0.9, rng, input_scale=0.5, bias_scale=0.2)
        what = f"esn_forecast on a held-out {kind} Mackey-Glass series (T=1500, n_train=1200, H=100)"
        kwargs = {"x": x, "U": p["U"], "W": p["W"], "b": p["b"], "gamma": 1.0, "n_train": 1200, "washout": 100,
                  "mu": 1e-6}
        target = x[1200:]
        expected = esn.esn_forecast(**kwargs)
        reference = float(np.mean((expected - target) ** 2) / np.var(target))

        def judge(outcome, what=what, target=target, expected=expected, reference=reference):
            pred = _value_of(task, what, outcome)
            if type(pred) is not np.ndarray or pred.shape != (300,) or not np.issubdtype(pred.dtype, np.floating):
                raise TestFailure(f"{what}: expected a float array of shape (300,), got {describe(pred)}")
            if not np.all(np.isfinite(pred)):
                raise TestFailure(f"{what}: the predictions contain inf or nan")
            error = float(np.mean((pred - target) ** 2) / np.var(target))
            if not error <= 2 * reference + 1e-12:
                raise TestFailure(f"{what}: normalised mean squared error {error:.3g} on the held-out part, expected "
                                  f"at most {2 * reference:.3g} (twice what the method reaches here). "
                                  f"Hint: {task.hint}.")
            apart = float(np.mean((pred - expected) ** 2) / np.var(target))
            if not apart <= 0.01 * reference:
                raise TestFailure(
                    f"{what}: the predictions are not those of the echo state network: their normalised "
                    f"mean squared difference from what the method predicts here is {apart:.3g}, while the "
                    f"method's own error is {reference:.3g}. Each prediction must be the trained readout of "
                    f"the state that has read only the values before the one it predicts: a forecast that "
                    f"also sees the value it predicts, or that does not come from the reservoir, is not the "
                    f"method's. Hint: {task.hint}.")

        probes.append(Probe(what, kwargs, judge))
    return probes


def _at_scale_leaky_rnn_backward(rng):
    # A realistic size, where a gradient by finite differences would take minutes (see chapter 2's cases).
    N, T, D, H = 32, 50, 64, 128
    p = _rnn_params(rng, D, H)
    kw = {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)), **p, "gamma": rng.uniform(1.0, 6.0, H)}
    Hs = leaky.leaky_rnn_forward(**kw)
    return [(f"N={N}, T={T}, D={D}, H={H}, gamma of shape (H,), a realistic size (finite differences would take "
             "minutes)", {"dHs": rng.normal(0, 1, Hs.shape), "X": kw["X"], "h0": kw["h0"], "Hs": Hs, "U": kw["U"],
                          "W": kw["W"], "gamma": kw["gamma"]})]

TASKS = [
    Task("leaky_rnn_forward", 4, leaky.leaky_rnn_forward, _cases_leaky_rnn_forward,
         "each step keeps the fraction 1 - 1/gamma of the previous state and adds 1/gamma of the tanh "
         "candidate; gamma may be one number or one per unit"),
    Task("leaky_rnn_backward", 4, leaky.leaky_rnn_backward, _cases_leaky_rnn_backward,
         "the state after a step depends on the state before it in more than one way; compare each returned "
         "gradient with finite differences of your forward pass", outputs=("dX", "dh0", "dU", "dW", "db"),
         gradients=_fd_leaky_rnn_backward, at_scale=_at_scale_leaky_rnn_backward),
    Task("ridge_readout", 4, esn.ridge_readout, _cases_ridge_readout,
         "the bias is one more weight, on a constant input of one, and the penalty must not touch it; the normal "
         "equations come from setting the gradient of the penalised squared error to zero", outputs=("V", "c")),
    Task("memory_capacity", 4, esn.memory_capacity, _cases_memory_capacity,
         "for each delay, train on the first half of the usable steps (the first n // 2 of n) and measure the "
         "squared correlation on the rest; the capacity is the sum over delays", outputs=("mc", "mc_k"),
         calls=("ridge_readout",)),
    Task("memory_capacity_by_radius", 4, esn.memory_capacity_by_radius, _cases_memory_capacity_by_radius,
         "only the size of W changes: its spectral radius is the largest modulus of its eigenvalues (complex ones "
         "too), and each radius rescales the W you were given; the reservoir has plain tanh units and starts from "
         "a zero state for every radius", outputs=("mc", "mc_k"), calls=("leaky_rnn_forward", "memory_capacity")),
    Task("esn_forecast", 4, esn.esn_forecast, _cases_esn_forecast,
         "the readout learns to map the state after each input to the next input; train after the washout, "
         "then predict the held-out part from the states that precede it", calls=("ridge_readout",),
         extra={"heldout": _heldout_probes}),
]
