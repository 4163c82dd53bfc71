"""Chapter 3, long-term dependencies: assignment 03_long_term."""

from __future__ import annotations

import numpy as np

from ... import activations, gradient_flow, longterm, rnn
from ..checks import TestFailure, describe
from ..spec import Probe, Task, _value_of
from ._common import rnn_params as _rnn_params


def _logistic_forward(X, h0, U, W, b):
    """The states of a simple RNN of logistic units, h_t = sigma(b + W h_{t-1} + U x_t), shape (N, T, H)."""
    states, h = [], h0
    for t in range(X.shape[1]):
        h = activations.sigmoid(b + h @ W.T + X[:, t] @ U.T)
        states.append(h)
    return np.stack(states, axis=1)


def _cases_jacobian_product_norms(rng):
    one = {"Hs": rng.uniform(-1, 1, (1, 1, 1)), "W": rng.normal(0, 1, (1, 1)), "unit": "tanh"}
    cases = [("N=1, T=1, H=1, tanh: no step to go back through", one)]
    # W = [[0, -2], [2, 0]] (eigenvalues +-2i) and diag(0.3, -0.9) (a negative eigenvalue dominates); logistic
    # units, whose slope is at most 1/4, get weights about four times larger, so that the products neither
    # vanish below the tolerance nor explode
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])
    for label, unit, W, N, T, scale in [
            ("a rotation scaled by 2 (eigenvalues +-2i)", "tanh", 2 * rotation, 2, 3, 0.3),
            ("W = diag(0.3, -0.9)", "tanh", np.diag([0.3, -0.9]), 1, 4, 1.0),
            ("a random W, H=4", "tanh", rng.normal(0, 0.6, (4, 4)), 2, 5, 1.0),
            ("a random W, H=6", "tanh", rng.normal(0, 0.5, (6, 6)), 2, 12, 1.0),
            ("a rotation scaled by 8 (eigenvalues +-8i)", "logistic", 8 * rotation, 3, 4, 0.3),
            ("W = diag(1.2, -3.6)", "logistic", np.diag([1.2, -3.6]), 1, 5, 1.0),
            ("a random W, H=3", "logistic", rng.normal(0, 2.0, (3, 3)), 3, 8, 1.0),
            ("a random W, H=5", "logistic", rng.normal(0, 1.5, (5, 5)), 2, 10, 1.0)]:
        H = W.shape[0]
        D = 2
        U, b = rng.normal(0, scale, (H, D)), rng.normal(0, 0.3 * scale, H)
        X = rng.normal(0, 1, (N, T, D))
        if unit == "tanh":
            h0 = rng.uniform(-scale, scale, (N, H))
            Hs = rnn.rnn_forward(X, h0, U, W, b)
        else:  # centre the pre-activations, as a bias learned for logistic units would
            h0 = rng.uniform(0, 1, (N, H))
            Hs = _logistic_forward(X, h0, U, W, b - W.sum(axis=1) / 2)
        cases.append((f"{label}, {unit} units, N={N}, T={T}", {"Hs": Hs, "W": W, "unit": unit}))
    return cases


def _cases_eigen_components(rng):
    cases = [("W = [[0, 1], [1, 1]], h0 = (1, 0), t = 10",
              {"W": np.array([[0.0, 1.0], [1.0, 1.0]]), "h0": np.array([1.0, 0.0]), "t": 10}),
             ("t = 0: the components of h0 itself",
              {"W": np.array([[2.0, 1.0], [1.0, -1.0]]), "h0": np.array([0.3, -2.0]), "t": 0})]
    for H, t in [(1, 3), (3, 1), (4, 5), (6, 12)]:
        A = rng.normal(0, 1, (H, H))
        cases.append((f"random symmetric W, H={H}, t={t}",
                      {"W": (A + A.T) / (2 * np.sqrt(H)), "h0": rng.normal(0, 1, H), "t": t}))
    return cases


def _planted_network(rng, N, T, D, H, rho, input_scale, shift):
    """A nearly linear tanh RNN whose symmetric W has one eigenvalue rho and the others at most rho / 4.

    The gradient on the last state has a small part along the eigenvector of rho and the rest
    along the others, sized so that a correct measurement over the T lags comes out ``shift``
    (a fraction) below rho: in the first lags the other parts, which shrink faster, still carry
    most of the norm. Returns the arguments of ``gradient_decay_rate`` and the rate that the
    linearised backward pass gives for them.
    """
    Q, _ = np.linalg.qr(rng.normal(0, 1, (H, H)))
    lam = np.r_[rho, rng.uniform(-rho / 4, rho / 4, H - 1)]
    W = (Q * lam) @ Q.T
    W = (W + W.T) / 2
    sign = rng.choice([-1.0, 1.0], N)
    rest = rng.normal(0, 1, (N, H - 1))
    rest /= np.linalg.norm(rest, axis=1, keepdims=True)

    def gradients(along):  # components along the eigenvectors, then the gradients themselves
        return np.c_[along * sign, np.sqrt(1 - along**2) * rest] @ Q.T

    lo, hi = np.log(1e-6), 0.0  # the measured rate grows towards rho as the part along rho grows
    for _ in range(60):
        mid = (lo + hi) / 2
        if _linearised_rate(gradients(np.exp(mid)), lam, Q, T) < (1 - shift) * rho:
            lo = mid
        else:
            hi = mid
    g = gradients(np.exp(hi))
    U, b = input_scale * rng.normal(0, 1, (H, D)), np.zeros(H)
    X, h0 = rng.normal(0, 1, (N, T, D)), np.zeros((N, H))
    dHs = np.zeros((N, T, H))
    dHs[:, -1] = g
    kwargs = {"dHs": dHs, "X": X, "h0": h0, "Hs": rnn.rnn_forward(X, h0, U, W, b), "U": U, "W": W}
    return kwargs, _linearised_rate(g, lam, Q, T)


def _linearised_rate(g, lam, Q, T):
    """The rate that a fit over T lags measures for the gradients g (N, H) of a linear network of symmetric W.

    Backwards through a linear network the gradient at lag k is W^k g (W = Q diag(lam) Q^T), so
    its norm follows from the components of g along the eigenvectors: chapter 3's theory
    without the approximation that the largest eigenvalue already dominates.
    """
    lag = np.arange(T, dtype=float)
    log_norms = 0.5 * np.log(((g @ Q) ** 2) @ (lam[:, None] ** (2 * lag)))  # (N, T), column k is lag k
    return float(np.exp(np.polyfit(lag, log_norms.mean(axis=0), 1)[0]))


def _cases_gradient_decay_rate(rng):
    cases = []
    for N, T, D, H, scale in [(1, 2, 1, 1, 1.5), (2, 5, 3, 4, 1.0), (3, 12, 2, 5, 1.5), (2, 30, 2, 6, 0.5)]:
        p = _rnn_params(rng, D, H, scale=scale)
        X, h0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H))
        Hs = rnn.rnn_forward(X, h0, p["U"], p["W"], p["b"])
        dHs = np.zeros((N, T, H))
        dHs[:, -1] = rng.normal(0, 1, (N, H))
        cases.append((f"N={N}, T={T}, D={D}, H={H}, a loss on the last state",
                      {"dHs": dHs, "X": X, "h0": h0, "Hs": Hs, "U": p["U"], "W": p["W"]}))
    return cases


def _experiment_probes(task, rng):
    """The measured rate must agree with the rate that theory predicts for the network's gradients.

    Nearly linear networks (tiny inputs) whose symmetric W has one eigenvalue rho and all
    others at most rho / 4: once the others have died out, the gradient's norm shrinks by rho
    per step, so a correct measurement over 40 lags lands within 3% of rho, and the predicted
    rate is rho itself. The gradient on the last state is planted with only a small part along
    the eigenvector of rho, so that the first lags pull a correct fit below rho by a fraction
    drawn from the seed (0.5% to 2.8%); the linearised backward pass, exact here to about 1e-7,
    says by how much, and the measurement must agree with it to 1e-4. Returning rho, or any
    number computed from W alone, misses; so does a wrong measurement (no logarithm, the wrong
    sign of the lag, the norms of the wrong steps, a fit over only some lags).
    """
    probes = []
    T = 40
    for rho in (float(rng.uniform(0.55, 0.7)), float(rng.uniform(0.8, 0.95))):
        kwargs, theory = _planted_network(rng, 4, T, 2, 6, rho, 1e-4, float(rng.uniform(0.005, 0.028)))
        what = f"gradient_decay_rate on a nearly linear network whose W has spectral radius {rho:.3f}"

        def judge(outcome, what=what, rho=rho, theory=theory):
            got = _value_of(task, what, outcome)
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                raise TestFailure(f"{what}: expected a tuple (measured, predicted), got {describe(got)}")
            measured, predicted = (float(np.asarray(v)) if np.size(v) == 1 else np.nan for v in got)
            if not abs(predicted - rho) <= 1e-8 * rho:
                raise TestFailure(f"{what}: the predicted rate is {predicted:.6g}, expected the spectral radius "
                                  f"{rho:.6g}. Hint: {task.hint}.")
            if not abs(measured - rho) <= 0.03 * rho:
                raise TestFailure(f"{what}: the measured rate {measured:.4g} is not within 3% of {rho:.4g}, the "
                                  f"rate at which such a gradient must shrink. Hint: {task.hint}.")
            if not abs(measured - theory) <= 1e-4 * theory:
                raise TestFailure(
                    f"{what}: the measured rate {measured:.6g} is not what these gradients give. Over "
                    f"the first lags the gradient's parts along the other eigenvectors still count, so a "
                    f"fit over all {T} lags lands at {theory:.6g} here, not at the spectral radius; a "
                    f"measurement must come from the gradient norms themselves. Hint: {task.hint}.")

        probes.append(Probe(what, kwargs, judge))
    return probes


def _cases_gradient_norms_through_time(rng):
    cases = []
    for N, T, D, H, last_only in [(1, 1, 1, 1, False), (2, 1, 3, 4, False), (1, 6, 2, 3, True),
                                  (3, 8, 2, 5, False), (2, 12, 3, 4, True)]:
        p = _rnn_params(rng, D, H, scale=1.5)
        X, h0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H))
        Hs = rnn.rnn_forward(X, h0, p["U"], p["W"], p["b"])
        dHs = rng.normal(0, 1, (N, T, H))
        if last_only:
            dHs[:, :-1] = 0.0
        label = f"N={N}, T={T}, D={D}, H={H}" + (", a loss on the last state only" if last_only else "")
        cases.append((label, {"dHs": dHs, "X": X, "h0": h0, "Hs": Hs, "U": p["U"], "W": p["W"]}))
    return cases


def _gradient_dicts(rng):
    for sizes in [{"w": (1,)}, {"U": (3, 2), "W": (3, 3), "b": (3,)}, {"W": (5, 5), "V": (2, 5), "c": (2,)}]:
        yield {k: rng.normal(0, 1, s) for k, s in sizes.items()}


def _cases_clip_gradients(rng):
    cases = []
    for g in _gradient_dicts(rng):
        norm = float(np.sqrt(sum(np.sum(v * v) for v in g.values())))
        cases.append((f"keys {sorted(g)}, global norm {norm:.3g}, max_norm {norm / 3:.3g} (clipped)",
                      {"grads": g, "max_norm": norm / 3}))
        cases.append((f"keys {sorted(g)}, global norm {norm:.3g}, max_norm {2 * norm:.3g} (no clipping)",
                      {"grads": {k: v.copy() for k, v in g.items()}, "max_norm": 2 * norm}))
    g = {"W": rng.normal(0, 1, (2, 3)).astype(np.float32), "b": rng.normal(0, 1, 3).astype(np.float32)}
    norm = float(np.sqrt(sum(np.sum(v.astype(float) ** 2) for v in g.values())))
    cases.append(("float32 gradients (the result keeps their dtype), clipped", {"grads": g, "max_norm": norm / 2}))
    cases.append(("all gradients zero", {"grads": {"W": np.zeros((2, 2)), "b": np.zeros(2)}, "max_norm": 1.0}))
    return cases


def _at_scale_gradient_norms_through_time(rng):
    # A realistic size, where gradients taken by finite differences (of a forward run rebuilt from the
    # states) would take minutes.
    N, T, D, H = 32, 50, 64, 128
    p = _rnn_params(rng, D, H, scale=1.5)
    X, h0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H))
    Hs = rnn.rnn_forward(X, h0, p["U"], p["W"], p["b"])
    return [(f"N={N}, T={T}, D={D}, H={H}, a realistic size (finite differences would take minutes)",
             {"dHs": rng.normal(0, 1, (N, T, H)), "X": X, "h0": h0, "Hs": Hs, "U": p["U"], "W": p["W"]})]


TASKS = [
    Task("eigen_components", 3, longterm.eigen_components, _cases_eigen_components,
         "row i lies along the eigenvector of the i-th smallest eigenvalue; the eigenvectors are the columns of "
         "the solver's matrix, and the rows must add up to W^t h0", outputs=None),
    Task("jacobian_product_norms", 3, gradient_flow.jacobian_product_norms, _cases_jacobian_product_norms,
         "the radius is about the size of the eigenvalues, which can be negative or complex; check each "
         "step's Jacobian against the chain rule for the unit you are given (a logistic unit's slope is not "
         "tanh's), with the slope of the step that produced the state, and check the order of the product; "
         "the bound is the chapter's with the slopes these states have, not the largest slope the unit "
         "can have",
         outputs=("rho", "norms", "bounds")),
    Task("gradient_norms_through_time", 3, longterm.gradient_norms_through_time, _cases_gradient_norms_through_time,
         "the total gradient on a state is its own part plus what the next step sends back; record the norm of "
         "the total for every example", at_scale=_at_scale_gradient_norms_through_time),
    Task("gradient_decay_rate", 3, longterm.gradient_decay_rate, _cases_gradient_decay_rate,
         "the measured rate is the exponential of the slope of the logarithm of the gradient norms against the "
         "lag (steps back from the last state), fitted over all steps and averaged over the batch; the "
         "prediction is the spectral radius of W", outputs=("measured", "predicted"),
         calls=("gradient_norms_through_time",), extra={"experiment": _experiment_probes}),
    Task("clip_gradients", 3, gradient_flow.clip_gradients, _cases_clip_gradients,
         "one norm over every entry of every array together; one factor for all arrays keeps the direction of "
         "the whole gradient, and nothing changes at or below the threshold (zero gradients included); the norm "
         "returned is the one before clipping, and the caller's arrays must not change",
         outputs=("clipped", "norm")),
]
