"""Helpers that the assignments' test cells call.

Two kinds of check live here:

- ``assert_close`` and ``assert_scalar_close`` compare one result with an
  expected value and, when they differ, say *what* differs: the shape, the
  dtype, or the largest error and where it is. Visible tests use them.
- ``check_against_reference`` runs a student's function on seeded random
  cases of several sizes (including N = 1 and T = 1) and compares every output
  with the reference implementation in ``rnncourse``. Hidden tests call it, so
  that the feedback a student sees shows one call, not the assertions.

Every failure is an ``AssertionError`` whose message is meant for the student.
Nothing here writes to stderr: nbgrader scores any stderr output as a failure.

The reference functions are looked up once, when this module is imported, so
that rebinding a name in ``rnncourse`` afterwards does not change what is
compared against. That alone does not make grading tamper-proof: a student's
kernel can reach anything in its own process. The course's grading design
(see the instructors' chapter) decides grades outside that kernel.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from . import activations, bptt, esn, gradcheck, leaky, longterm, losses, optim, rnn, training

__all__ = ["assert_close", "assert_scalar_close", "check_against_reference", "check_gradients_numerically",
           "check_forecast_error", "CASES"]

_REFERENCE = {
    "softmax": activations.softmax,
    "sequence_cross_entropy": losses.sequence_cross_entropy,
    "rnn_step_forward": rnn.rnn_step_forward,
    "rnn_forward": rnn.rnn_forward,
    "many_to_one_forward": rnn.many_to_one_forward,
    "sequence_cross_entropy_backward": losses.sequence_cross_entropy_backward,
    "output_backward": bptt.output_backward,
    "rnn_step_backward": bptt.rnn_step_backward,
    "rnn_backward": bptt.rnn_backward,
    "rnn_loss_and_grads": training.rnn_loss_and_grads,
    "gradient_errors": gradcheck.gradient_errors,
    "train_truncated_bptt": training.train_truncated_bptt,
    "spectral_radius": longterm.spectral_radius,
    "matrix_power_eigen": longterm.matrix_power_eigen,
    "hidden_state_jacobian": longterm.hidden_state_jacobian,
    "gradient_norms_through_time": longterm.gradient_norms_through_time,
    "global_norm": optim.global_norm,
    "clip_by_norm": optim.clip_by_norm,
    "leaky_rnn_forward": leaky.leaky_rnn_forward,
    "leaky_rnn_backward": leaky.leaky_rnn_backward,
    "scale_to_spectral_radius": esn.scale_to_spectral_radius,
    "ridge_readout": esn.ridge_readout,
    "memory_capacity": esn.memory_capacity,
    "esn_forecast": esn.esn_forecast,
}

# Names of the parts of a tuple that a graded function returns, used in messages ("output dW").
_OUTPUT_NAMES = {
    "output_backward": ("dHs", "dV", "dc"),
    "rnn_step_backward": ("dx", "dh_prev", "dU", "dW", "db"),
    "rnn_backward": ("dX", "dh0", "dU", "dW", "db"),
    "rnn_loss_and_grads": ("loss", "grads", "h_last"),
    "leaky_rnn_backward": ("dX", "dh0", "dU", "dW", "db"),
    "ridge_readout": ("V", "c"),
    "memory_capacity": ("mc", "r2"),
}

_HINTS = {
    "softmax": "subtract the row maximum before exp, and normalise over the last axis only",
    "sequence_cross_entropy": (
        "sum -log yhat of the target class over time, then divide by N; "
        "compute log-softmax with the max subtracted so large logits stay finite"
    ),
    "rnn_step_forward": "h = tanh(b + W h_prev + U x) with the batch on rows: x @ U.T, h_prev @ W.T",
    "rnn_forward": "start from h0, apply the step at every t, and store h_t in Hs[:, t]",
    "many_to_one_forward": "run the RNN over all T steps and apply V, c to the last hidden state only",
    "sequence_cross_entropy_backward": "softmax(O) minus 1 at the target class, divided by N (not by T)",
    "output_backward": "dHs = dO V; dV and dc sum over the batch and over time (reshape to (N*T, K) rows)",
    "rnn_step_backward": (
        "first da = dh * (1 - h**2); then dx = da U, dh_prev = da W, dU = da^T x, dW = da^T h_prev, "
        "db = sum of da over the batch"
    ),
    "rnn_backward": (
        "go from t = T-1 down to 0; the gradient on h_t is dHs[:, t] plus the dh_prev of step t+1; "
        "h_prev of step 0 is h0; add up dU, dW, db over the steps"
    ),
    "rnn_loss_and_grads": (
        "forward (tanh recurrence, logits, loss), then sequence_cross_entropy_backward, output_backward "
        "and rnn_backward; h_last is the state after the last step"
    ),
    "gradient_errors": (
        "for each key k of grads: numerical_gradient(lambda _: f(params), params[k], eps=eps), "
        "then relative_error(grads[k], that)"
    ),
    "train_truncated_bptt": (
        "chunks [0, L), [L, 2L), ... carry h from chunk to chunk; after the last chunk restart at 0 from h0; "
        "record each chunk's loss divided by its length, before the update"
    ),
    "spectral_radius": "the largest absolute value of the eigenvalues (np.linalg.eigvals; they may be complex)",
    "matrix_power_eigen": "np.linalg.eigh gives lam and Q with W = Q diag(lam) Q^T; then W^t = Q diag(lam**t) Q^T",
    "hidden_state_jacobian": (
        "row i of W times (1 - h_next[i]**2): (1 - h_next**2)[..., :, None] * W works for (H,) and (N, H)"
    ),
    "gradient_norms_through_time": (
        "from t = T-1 down to 0: total = dHs[:, t] + what step t+1 passed back; record its norm per row; "
        "pass back (total * (1 - Hs[:, t]**2)) @ W"
    ),
    "global_norm": "the square root of the sum of the squares of every entry of every array",
    "clip_by_norm": (
        "if the global norm exceeds max_norm, multiply every array by max_norm / norm; otherwise return copies; "
        "never modify the input arrays"
    ),
    "leaky_rnn_forward": (
        "h = (1 - 1/gamma) * h_prev + (1/gamma) * tanh(b + h_prev @ W.T + x @ U.T) at every step; "
        "gamma broadcasts over the units whether it is a number or an array of shape (H,)"
    ),
    "leaky_rnn_backward": (
        "recover s = tanh(a_t) = gamma * (h_t - (1 - 1/gamma) h_prev); da = dh / gamma * (1 - s**2); "
        "pass back (1 - 1/gamma) * dh + da @ W; accumulate dU, dW, db as in BPTT"
    ),
    "scale_to_spectral_radius": "multiply W by rho / max(abs(np.linalg.eigvals(W))); the eigenvalues may be complex",
    "ridge_readout": (
        "Z = [states, column of ones]; solve (Z^T Z + alpha P) w = Z^T targets with P the identity "
        "except a 0 for the bias; V = w[:H].T, c = w[H]"
    ),
    "memory_capacity": (
        "for k = 1..max_delay: steps t = max_delay..T-1, first half (len // 2) to train a ridge readout of "
        "u[t - k] from states[t], second half to measure the squared correlation; mc is the sum as a float"
    ),
    "esn_forecast": (
        "states from a zero state with u as a (1, T, 1) input; train on states[washout:n_train - 1] with "
        "targets u[washout + 1:n_train]; predict from states[n_train - 1:T - 1]"
    ),
}


def _shape_str(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def assert_close(what, got, expected, rtol=1e-6, atol=1e-8, hint=None):
    """Assert that the array ``got`` matches ``expected``; explain any mismatch.

    Inputs:
    - what: a short description used in the message, e.g. "h for the zero input".
    - got: the value to check; must be a numpy ndarray (not a subclass).
    - expected: float array with the expected values.
    - rtol, atol: tolerances as in ``numpy.isclose``.
    - hint: an optional sentence appended to the message.
    """
    expected = np.asarray(expected)
    tail = f" Hint: {hint}." if hint else ""
    if type(got) is not np.ndarray:
        raise AssertionError(
            f"{what}: expected a numpy array of shape {_shape_str(expected.shape)}, "
            f"got a {type(got).__name__}.{tail}"
        )
    if got.shape != expected.shape:
        raise AssertionError(
            f"{what}: shape {_shape_str(got.shape)}, expected {_shape_str(expected.shape)}.{tail}"
        )
    if not np.issubdtype(got.dtype, np.floating):
        raise AssertionError(f"{what}: dtype {got.dtype}, expected a floating-point dtype.{tail}")
    got64 = got.astype(np.float64)
    exp64 = expected.astype(np.float64)
    bad_finite = ~np.isfinite(got64) & np.isfinite(exp64)
    if bad_finite.any():
        where = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        raise AssertionError(
            f"{what}: {int(bad_finite.sum())} entries are inf or nan where finite values are "
            f"expected, the first at index {where} "
            f"(got {float(got64[where])!r}, expected {float(exp64[where])!r}).{tail}"
        )
    err = np.abs(got64 - exp64)
    allowed = atol + rtol * np.abs(exp64)
    if np.any(err > allowed):
        where = tuple(int(i) for i in np.unravel_index(np.argmax(err - allowed), err.shape))
        n_bad = int(np.sum(err > allowed))
        raise AssertionError(
            f"{what}: {n_bad} of {err.size} entries differ; the largest error is "
            f"{err[where]:.3g} at index {where} (got {got64[where]:.6g}, expected {exp64[where]:.6g}).{tail}"
        )


def assert_scalar_close(what, got, expected, rtol=1e-6, atol=1e-8, hint=None):
    """Assert that ``got`` is a real number close to the float ``expected``."""
    tail = f" Hint: {hint}." if hint else ""
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        raise AssertionError(f"{what}: expected a single number, got a {type(got).__name__}.{tail}")
    got = float(got)
    if not np.isfinite(got):
        raise AssertionError(f"{what}: got {got!r}, expected {expected:.6g}.{tail}")
    if abs(got - expected) > atol + rtol * abs(expected):
        raise AssertionError(f"{what}: got {got:.8g}, expected {expected:.8g}.{tail}")


# Seeded random cases, one generator per graded function. Each returns a list of
# (label, kwargs); the sizes include N = 1 and T = 1, and large logits where
# numerical stability is part of the task.


def _rnn_params(rng, D, H, K=None, scale=1.0):
    p = {
        "U": rng.normal(0, scale / np.sqrt(D), (H, D)),
        "W": rng.normal(0, scale / np.sqrt(H), (H, H)),
        "b": rng.normal(0, 0.5, H),
    }
    if K is not None:
        p["V"] = rng.normal(0, 1 / np.sqrt(H), (K, H))
        p["c"] = rng.normal(0, 0.5, K)
    return p


def _cases_softmax(rng):
    cases = []
    for shape in [(1, 1), (1, 5), (4, 3), (2, 3, 7)]:
        cases.append((f"o of shape {shape}", {"o": rng.normal(0, 3, shape)}))
    cases.append(("large logits (up to 1000)", {"o": rng.normal(0, 1, (3, 4)) + np.array([1000.0, -1000.0, 0.0, 999.0])}))
    return cases


def _cases_sequence_cross_entropy(rng):
    cases = []
    for N, T, K in [(1, 1, 2), (1, 4, 3), (3, 5, 4), (6, 2, 10)]:
        cases.append(
            (f"N={N}, T={T}, K={K}", {"O": rng.normal(0, 2, (N, T, K)), "Y": rng.integers(0, K, (N, T))})
        )
    O = rng.normal(0, 1, (2, 3, 4))
    O[0, 0, 0] = 800.0
    Y = np.array([[1, 0, 2], [3, 3, 0]])
    cases.append(("a confident wrong prediction (logit 800)", {"O": O, "Y": Y}))
    return cases


def _cases_rnn_step_forward(rng):
    cases = []
    for N, D, H in [(1, 1, 1), (1, 3, 2), (4, 5, 3), (7, 2, 6)]:
        p = _rnn_params(rng, D, H)
        cases.append(
            (
                f"N={N}, D={D}, H={H}",
                {"x": rng.normal(0, 1, (N, D)), "h_prev": rng.uniform(-1, 1, (N, H)), **p},
            )
        )
    return cases


def _cases_rnn_forward(rng):
    cases = []
    for N, T, D, H in [(1, 1, 1, 1), (2, 1, 3, 4), (1, 6, 2, 3), (5, 4, 3, 5)]:
        p = _rnn_params(rng, D, H)
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}",
                {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)), **p},
            )
        )
    return cases


def _cases_many_to_one_forward(rng):
    cases = []
    for N, T, D, H, K in [(1, 1, 1, 1, 2), (3, 1, 2, 3, 2), (2, 5, 3, 4, 3), (4, 7, 2, 6, 5)]:
        p = _rnn_params(rng, D, H, K)
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}, K={K}",
                {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)), **p},
            )
        )
    return cases


def _cases_output_backward(rng):
    cases = []
    for N, T, H, K in [(1, 1, 1, 2), (1, 4, 3, 2), (3, 1, 2, 4), (2, 5, 4, 3)]:
        cases.append(
            (
                f"N={N}, T={T}, H={H}, K={K}",
                {"dO": rng.normal(0, 1, (N, T, K)), "Hs": rng.uniform(-1, 1, (N, T, H)),
                 "V": rng.normal(0, 1, (K, H))},
            )
        )
    cases.append(("a single step: dO of shape (N, K) = (3, 2), Hs of shape (N, H) = (3, 4)",
                  {"dO": rng.normal(0, 1, (3, 2)), "Hs": rng.uniform(-1, 1, (3, 4)), "V": rng.normal(0, 1, (2, 4))}))
    return cases


def _cases_rnn_step_backward(rng):
    cases = []
    for N, D, H in [(1, 1, 1), (1, 3, 2), (4, 5, 3), (7, 2, 6)]:
        p = _rnn_params(rng, D, H)
        x, h_prev = rng.normal(0, 1, (N, D)), rng.uniform(-1, 1, (N, H))
        h = rnn.rnn_step_forward(x, h_prev, p["U"], p["W"], p["b"])
        cases.append(
            (
                f"N={N}, D={D}, H={H}",
                {"dh": rng.normal(0, 1, (N, H)), "x": x, "h_prev": h_prev, "h": h, "U": p["U"], "W": p["W"]},
            )
        )
    return cases


def _cases_rnn_backward(rng):
    cases = []
    for N, T, D, H in [(1, 1, 1, 1), (2, 1, 3, 4), (1, 6, 2, 3), (5, 4, 3, 5)]:
        p = _rnn_params(rng, D, H)
        X, h0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H))
        Hs = rnn.rnn_forward(X, h0, p["U"], p["W"], p["b"])
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}",
                {"dHs": rng.normal(0, 1, (N, T, H)), "X": X, "h0": h0, "Hs": Hs, "U": p["U"], "W": p["W"]},
            )
        )
    return cases


def _cases_rnn_loss_and_grads(rng):
    cases = []
    for N, T, D, H, K in [(1, 1, 1, 1, 2), (2, 1, 3, 2, 3), (1, 5, 2, 3, 4), (3, 4, 3, 4, 2)]:
        cases.append(
            (
                f"N={N}, T={T}, D={D}, H={H}, K={K}",
                {"params": _rnn_params(rng, D, H, K), "X": rng.normal(0, 1, (N, T, D)),
                 "Y": rng.integers(0, K, (N, T)), "h0": rng.uniform(-1, 1, (N, H))},
            )
        )
    return cases


def _rnn_loss(X, Y, h0):
    """The loss of ``rnn_loss_and_grads`` as a function of the parameters, from the reference forward."""

    def f(params):
        Hs = rnn.rnn_forward(X, h0, params["U"], params["W"], params["b"])
        return losses.sequence_cross_entropy(rnn.output_forward(Hs, params["V"], params["c"]), Y)

    return f


def _cases_gradient_errors(rng):
    A, B = rng.normal(0, 1, (2, 3)), rng.normal(0, 1, 4)

    def quadratic(p):  # gradients: 2 A * a and cos(b)
        return float(np.sum(A * p["a"] ** 2) + np.sum(np.sin(p["b"])))

    pq = {"a": rng.normal(0, 1, (2, 3)), "b": rng.normal(0, 1, 4)}
    right = {"a": 2 * A * pq["a"], "b": np.cos(pq["b"])}
    wrong = {"a": A * pq["a"], "b": -np.cos(pq["b"])}  # factor 2 missing; sign flipped
    cases = [
        ("f(a, b) = sum(A a^2) + sum(sin b) with correct gradients", {"f": quadratic, "params": pq, "grads": right}),
        ("the same f with wrong gradients (errors 1/3 and 1)", {"f": quadratic, "params": pq, "grads": wrong}),
    ]
    for N, T, D, H, K, bug in [(1, 1, 1, 1, 2, False), (2, 4, 3, 3, 2, True)]:
        p = _rnn_params(rng, D, H, K)
        X, Y, h0 = rng.normal(0, 1, (N, T, D)), rng.integers(0, K, (N, T)), rng.uniform(-1, 1, (N, H))
        grads = training.rnn_loss_and_grads(p, X, Y, h0)[1]
        label = f"an RNN loss, N={N}, T={T}, D={D}, H={H}, K={K}, "
        if bug:
            grads = {**grads, "W": grads["W"].T.copy(), "c": np.zeros(K)}  # two typical bugs
            label += "with dW transposed and dc zero, and only some keys checked"
            grads = {k: grads[k] for k in ("W", "c", "U")}
        else:
            label += "correct gradients"
        cases.append((label, {"f": _rnn_loss(X, Y, h0), "params": p, "grads": grads}))
    cases.append(("the correct quadratic with eps = 1e-5", {"f": quadratic, "params": pq, "grads": right, "eps": 1e-5}))
    return cases


def _cases_train_truncated_bptt(rng):
    cases = []
    for N, T, D, H, K, chunk, lr, n, with_h0 in [
        (1, 4, 4, 3, 4, 4, 0.5, 5, False),  # chunk = T: full BPTT every update
        (2, 7, 3, 4, 3, 3, 0.2, 6, True),   # chunks of 3, 3 and 1 steps, then a restart
        (1, 5, 2, 2, 2, 1, 0.3, 7, False),  # one step per chunk
        (3, 6, 3, 5, 4, 10, 0.1, 3, True),  # chunk longer than T
    ]:
        kwargs = {
            "params": _rnn_params(rng, D, H, K), "X": rng.normal(0, 1, (N, T, D)),
            "Y": rng.integers(0, K, (N, T)), "chunk_length": chunk, "lr": lr, "n_steps": n,
        }
        if with_h0:
            kwargs["h0"] = rng.uniform(-1, 1, (N, H))
        label = f"N={N}, T={T}, D={D}, H={H}, K={K}, chunk_length={chunk}, n_steps={n}" + (", given h0" if with_h0 else ", h0=None")
        cases.append((label, kwargs))
    return cases


def _cases_spectral_radius(rng):
    cases = [("W = [[0, 1], [1, 1]] (the golden ratio)", {"W": np.array([[0.0, 1.0], [1.0, 1.0]])}),
             ("a rotation (complex eigenvalues +-2i)", {"W": np.array([[0.0, -2.0], [2.0, 0.0]])}),
             ("a negative eigenvalue dominates: diag(0.3, -0.9)", {"W": np.diag([0.3, -0.9])})]
    for H in (1, 3, 8):
        cases.append((f"random W, H={H}", {"W": rng.normal(0, 1 / np.sqrt(H), (H, H))}))
    return cases


def _cases_matrix_power_eigen(rng):
    cases = [("W = [[0, 1], [1, 1]], t = 10", {"W": np.array([[0.0, 1.0], [1.0, 1.0]]), "t": 10}),
             ("t = 0 (the identity)", {"W": np.array([[2.0, 1.0], [1.0, -1.0]]), "t": 0})]
    for H, t in [(1, 3), (3, 1), (4, 5), (6, 12)]:
        A = rng.normal(0, 1, (H, H))
        cases.append((f"random symmetric W, H={H}, t={t}", {"W": (A + A.T) / (2 * np.sqrt(H)), "t": t}))
    return cases


def _cases_hidden_state_jacobian(rng):
    cases = []
    for shape in [(1,), (3,), (1, 2), (4, 3), (2, 6)]:
        H = shape[-1]
        cases.append((f"h_next of shape {shape}", {"h_next": rng.uniform(-1, 1, shape), "W": rng.normal(0, 1, (H, H))}))
    return cases


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


def _cases_global_norm(rng):
    cases = [(f"gradients with keys {sorted(g)}", {"grads": g}) for g in _gradient_dicts(rng)]
    cases.append(("all gradients zero", {"grads": {"W": np.zeros((2, 2)), "b": np.zeros(2)}}))
    return cases


def _cases_clip_by_norm(rng):
    cases = []
    for g in _gradient_dicts(rng):
        norm = float(np.sqrt(sum(np.sum(v * v) for v in g.values())))
        cases.append((f"keys {sorted(g)}, global norm {norm:.3g}, max_norm {norm / 3:.3g} (clipped)",
                      {"grads": g, "max_norm": norm / 3}))
        cases.append((f"keys {sorted(g)}, global norm {norm:.3g}, max_norm {2 * norm:.3g} (no clipping)",
                      {"grads": {k: v.copy() for k, v in g.items()}, "max_norm": 2 * norm}))
    cases.append(("all gradients zero", {"grads": {"W": np.zeros((2, 2))}, "max_norm": 1.0}))
    return cases


# Chapter 4: leaky units and echo state networks.


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


def _cases_scale_to_spectral_radius(rng):
    cases = [("H=1, W = [[-2]], rho=0.5", {"W": np.array([[-2.0]]), "rho": 0.5}),
             ("a rotation by 90 degrees (eigenvalues +-i), rho=0.9", {"W": np.array([[0.0, -1.0], [1.0, 0.0]]), "rho": 0.9})]
    for H, rho in [(3, 1.2), (8, 0.95), (20, 0.5)]:
        cases.append((f"H={H}, rho={rho}", {"W": rng.normal(0, 1, (H, H)), "rho": rho}))
    return cases


def _cases_ridge_readout(rng):
    cases = []
    for M, H, K, alpha in [(1, 1, 1, 0.1), (5, 3, 1, 1e-3), (40, 6, 3, 2.0), (8, 12, 2, 0.5)]:
        cases.append((f"M={M}, H={H}, K={K}, alpha={alpha}",
                      {"states": rng.normal(0, 1, (M, H)), "targets": rng.normal(0, 1, (M, K)), "alpha": alpha}))
    return cases


def _cases_memory_capacity(rng):
    cases = []
    for T, H, max_delay in [(40, 1, 2), (120, 5, 6), (300, 12, 15)]:
        p = esn.make_reservoir(H, 1, 0.9, rng, input_scale=0.5)
        u = rng.uniform(-1, 1, T)
        states = leaky.leaky_rnn_forward(u[None, :, None], np.zeros((1, H)), p["U"], p["W"], p["b"], 1.0)[0]
        cases.append((f"T={T}, H={H}, max_delay={max_delay}", {"u": u, "states": states, "max_delay": max_delay}))
    u = rng.uniform(-1, 1, 60)
    cases.append(("a shift register of 3 delays, alpha=1e-3",
                  {"u": u, "states": np.stack([np.roll(u, j) for j in range(3)], axis=1), "max_delay": 4, "alpha": 1e-3}))
    return cases


def _cases_esn_forecast(rng):
    cases = []
    for T, H, n_train, washout, gamma, alpha in [(30, 1, 20, 0, 1.0, 1e-2), (120, 6, 90, 10, 2.0, 1e-3),
                                                 (300, 20, 250, 50, "per unit", 1e-3)]:
        t = np.arange(T)
        u = np.sin(0.3 * t) + 0.5 * np.sin(0.07 * t + rng.uniform(0, 6))
        p = esn.make_reservoir(H, 1, 0.9, rng, input_scale=0.5, bias_scale=0.2)
        g = rng.uniform(1.0, 4.0, H) if gamma == "per unit" else gamma
        cases.append((f"T={T}, H={H}, n_train={n_train}, washout={washout}, gamma={gamma}, alpha={alpha}",
                      {"u": u, **p, "gamma": g, "n_train": n_train, "washout": washout, "alpha": alpha}))
    return cases


CASES = {
    "softmax": _cases_softmax,
    "sequence_cross_entropy": _cases_sequence_cross_entropy,
    "rnn_step_forward": _cases_rnn_step_forward,
    "rnn_forward": _cases_rnn_forward,
    "many_to_one_forward": _cases_many_to_one_forward,
    "sequence_cross_entropy_backward": _cases_sequence_cross_entropy,
    "output_backward": _cases_output_backward,
    "rnn_step_backward": _cases_rnn_step_backward,
    "rnn_backward": _cases_rnn_backward,
    "rnn_loss_and_grads": _cases_rnn_loss_and_grads,
    "gradient_errors": _cases_gradient_errors,
    "train_truncated_bptt": _cases_train_truncated_bptt,
    "spectral_radius": _cases_spectral_radius,
    "matrix_power_eigen": _cases_matrix_power_eigen,
    "hidden_state_jacobian": _cases_hidden_state_jacobian,
    "gradient_norms_through_time": _cases_gradient_norms_through_time,
    "global_norm": _cases_global_norm,
    "clip_by_norm": _cases_clip_by_norm,
    "leaky_rnn_forward": _cases_leaky_rnn_forward,
    "leaky_rnn_backward": _cases_leaky_rnn_backward,
    "scale_to_spectral_radius": _cases_scale_to_spectral_radius,
    "ridge_readout": _cases_ridge_readout,
    "memory_capacity": _cases_memory_capacity,
    "esn_forecast": _cases_esn_forecast,
}


def _copy_value(v):
    if isinstance(v, np.ndarray):
        return v.copy()
    if isinstance(v, dict):  # a dict of parameters: each call gets its own arrays
        return {k: _copy_value(x) for k, x in v.items()}
    return v


def _copy_args(kwargs):
    return {k: _copy_value(v) for k, v in kwargs.items()}


def _compare(what, got, expected, hint, names=None, top=True):
    """Compare a result with the reference's: a float, an array, a tuple or a dict of them."""
    tail = f" Hint: {hint}." if hint else ""
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            size = f"of {len(got)} values" if isinstance(got, (tuple, list)) else f"a {type(got).__name__}"
            spelled = ", ".join(names) if names else f"{len(expected)} values"
            raise AssertionError(f"{what}: expected a tuple ({spelled}), got {size}.{tail}")
        for i, (g, e) in enumerate(zip(got, expected)):
            _compare(f"{what}, output {names[i] if names else i}", g, e, hint, top=False)
    elif isinstance(expected, dict):
        if not isinstance(got, dict):
            raise AssertionError(f"{what}: expected a dict with keys {sorted(expected)}, got a {type(got).__name__}.{tail}")
        if set(got) != set(expected):
            raise AssertionError(f"{what}: keys {sorted(got)}, expected {sorted(expected)}.{tail}")
        for k in expected:
            _compare(f"{what}, value for key {k!r}" if top else f"{what}[{k!r}]", got[k], expected[k], hint, top=False)
    elif isinstance(expected, float):
        assert_scalar_close(what, got, expected, hint=hint)
    else:
        assert_close(what, got, expected, hint=hint)
        if got.dtype != expected.dtype:
            raise AssertionError(
                f"{what}: dtype {got.dtype}, expected {expected.dtype} (the dtype of the inputs); "
                "do not convert to another precision"
            )


def check_against_reference(name, func, seed=0):
    """Compare ``func`` with the reference ``rnncourse`` function ``name`` on seeded random cases.

    For every case: the call must not raise, must not modify its arguments, and
    must return a value of the reference's type, shape and dtype whose entries
    match within rtol=1e-6, atol=1e-8 (the float64 reference computed on copies
    of the same arguments). Warnings that ``func`` issues are recorded rather
    than printed (stderr would fail the graded cell) and quoted if the case fails.

    Inputs:
    - name: the name of the graded function, a key of ``CASES``.
    - func: the student's function.
    - seed: seed of the random cases.

    Raises:
    - AssertionError naming the function, the case, and what differs.
    """
    if name not in CASES:
        raise ValueError(f"name must be one of {sorted(CASES)}, got {name!r}")
    if not callable(func):
        raise AssertionError(f"{name} is not a function (got a {type(func).__name__}); run the cell that defines it")
    reference = _REFERENCE[name]
    hint = _HINTS.get(name)
    cases = CASES[name](np.random.default_rng(seed))
    for i, (label, kwargs) in enumerate(cases, start=1):
        what = f"{name}, case {i} of {len(cases)} ({label})"
        expected = reference(**_copy_args(kwargs))
        args = _copy_args(kwargs)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = func(**args)
        except NotImplementedError:
            raise AssertionError(f"{name} is not implemented yet (it raised NotImplementedError)") from None
        except Exception as err:  # the student's error becomes feedback, not a crash of the test
            raise AssertionError(f"{what}: raised {type(err).__name__}: {err}") from None
        note = f" It warned: {caught[0].category.__name__}: {caught[0].message}." if caught else ""
        try:
            for k, v in kwargs.items():
                if isinstance(v, np.ndarray) and not np.array_equal(args[k], v):
                    raise AssertionError(
                        f"{what}: the function modified its argument {k}; compute new arrays instead"
                    )
            _compare(what, got, expected, hint, _OUTPUT_NAMES.get(name))
        except AssertionError as err:
            raise AssertionError(f"{err}{note}") from None


# Numerical gradient checks: the student's backward function against centred
# differences of the reference forward pass, on the cases of CASES. Each entry
# builds, from one case, the arguments for the student's function and the list
# of (output label, how to pick it from the result, variable, forward f, upstream df).


def _fd_sequence_cross_entropy_backward(kw, rng):
    O, Y = kw["O"], kw["Y"]
    return kw, [("dO", lambda out: out, O, lambda _: losses.sequence_cross_entropy(O, Y), None)]


def _fd_output_backward(kw, rng):
    dO, Hs, V = kw["dO"], kw["Hs"], kw["V"]
    c = rng.normal(0, 0.5, V.shape[0])
    f = lambda _: rnn.output_forward(Hs, V, c)  # noqa: E731
    return kw, [("dHs", lambda out: out[0], Hs, f, dO), ("dV", lambda out: out[1], V, f, dO),
                ("dc", lambda out: out[2], c, f, dO)]


def _fd_rnn_step_backward(kw, rng):
    x, h_prev, U, W, dh = kw["x"], kw["h_prev"], kw["U"], kw["W"], kw["dh"]
    b = rng.normal(0, 0.5, W.shape[0])
    kw = {**kw, "h": rnn.rnn_step_forward(x, h_prev, U, W, b)}
    f = lambda _: rnn.rnn_step_forward(x, h_prev, U, W, b)  # noqa: E731
    picks = [("dx", x), ("dh_prev", h_prev), ("dU", U), ("dW", W), ("db", b)]
    return kw, [(n, (lambda out, i=i: out[i]), v, f, dh) for i, (n, v) in enumerate(picks)]


def _fd_rnn_backward(kw, rng):
    X, h0, U, W, dHs = kw["X"], kw["h0"], kw["U"], kw["W"], kw["dHs"]
    b = rng.normal(0, 0.5, W.shape[0])
    kw = {**kw, "Hs": rnn.rnn_forward(X, h0, U, W, b)}
    f = lambda _: rnn.rnn_forward(X, h0, U, W, b)  # noqa: E731
    picks = [("dX", X), ("dh0", h0), ("dU", U), ("dW", W), ("db", b)]
    return kw, [(n, (lambda out, i=i: out[i]), v, f, dHs) for i, (n, v) in enumerate(picks)]


def _fd_rnn_loss_and_grads(kw, rng):
    params = kw["params"]
    f = _rnn_loss(kw["X"], kw["Y"], kw["h0"])
    return kw, [(f"grads[{k!r}]", (lambda out, k=k: out[1][k]), params[k], (lambda _: f(params)), None)
                for k in ("U", "W", "b", "V", "c")]


def _fd_leaky_rnn_backward(kw, rng):
    X, h0, U, W, dHs, gamma = kw["X"], kw["h0"], kw["U"], kw["W"], kw["dHs"], kw["gamma"]
    b = rng.normal(0, 0.5, W.shape[0])
    kw = {**kw, "Hs": leaky.leaky_rnn_forward(X, h0, U, W, b, gamma)}
    f = lambda _: leaky.leaky_rnn_forward(X, h0, U, W, b, gamma)  # noqa: E731
    picks = [("dX", X), ("dh0", h0), ("dU", U), ("dW", W), ("db", b)]
    return kw, [(n, (lambda out, i=i: out[i]), v, f, dHs) for i, (n, v) in enumerate(picks)]


_FINITE_DIFFERENCES = {
    "sequence_cross_entropy_backward": _fd_sequence_cross_entropy_backward,
    "output_backward": _fd_output_backward,
    "rnn_step_backward": _fd_rnn_step_backward,
    "rnn_backward": _fd_rnn_backward,
    "rnn_loss_and_grads": _fd_rnn_loss_and_grads,
    "leaky_rnn_backward": _fd_leaky_rnn_backward,
}


def check_gradients_numerically(name, func, seed=0, tol=1e-7):
    """Check the gradients that ``func`` returns against centred differences of the reference forward.

    For every seeded case of ``CASES[name]`` (arguments made consistent with a forward
    pass of ``rnncourse``), every gradient that ``func`` returns is compared with
    ``numerical_gradient`` of the corresponding reference forward function, in float64;
    its relative error must be below ``tol``. This is independent of the reference
    backward pass: it checks the calculus, not agreement with another implementation.

    Inputs:
    - name: one of the backward functions of the assignments (a key of ``CASES``
      that has a forward pass to differentiate).
    - func: the student's function.
    - seed: seed of the random cases.
    - tol: the largest relative error accepted.

    Raises:
    - AssertionError naming the function, the case, the output and its error.
    """
    if name not in _FINITE_DIFFERENCES:
        raise ValueError(f"name must be one of {sorted(_FINITE_DIFFERENCES)}, got {name!r}")
    if not callable(func):
        raise AssertionError(f"{name} is not a function (got a {type(func).__name__}); run the cell that defines it")
    hint = _HINTS.get(name)
    tail = f" Hint: {hint}." if hint else ""
    rng = np.random.default_rng(seed)
    cases = CASES[name](rng)
    names = _OUTPUT_NAMES.get(name)
    for i, (label, kwargs) in enumerate(cases, start=1):
        what = f"{name}, case {i} of {len(cases)} ({label})"
        kwargs, checks = _FINITE_DIFFERENCES[name](_copy_args(kwargs), rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            numeric = [gradcheck.numerical_gradient(f, var, df) for _, _, var, f, df in checks]
        try:
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always")
                got = func(**_copy_args(kwargs))
        except NotImplementedError:
            raise AssertionError(f"{name} is not implemented yet (it raised NotImplementedError)") from None
        except Exception as err:
            raise AssertionError(f"{what}: raised {type(err).__name__}: {err}") from None
        if names is not None and (not isinstance(got, (tuple, list)) or len(got) != len(names)):
            raise AssertionError(f"{what}: expected a tuple ({', '.join(names)}), got a {type(got).__name__}.{tail}")
        for (out_name, pick, _, _, _), num in zip(checks, numeric):
            try:
                value = pick(got)
            except (KeyError, TypeError, IndexError):
                raise AssertionError(f"{what}: the result has no {out_name}.{tail}") from None
            label_out = f"{what}, output {out_name}"
            if type(value) is not np.ndarray or value.shape != num.shape:
                assert_close(label_out, value, num, hint=hint)  # explains the type or shape
            if not np.all(np.isfinite(value)):
                raise AssertionError(f"{label_out}: contains inf or nan.{tail}")
            err = gradcheck.relative_error(value, num)
            if not err < tol:
                diff = np.abs(value.astype(np.float64) - num)
                where = tuple(int(j) for j in np.unravel_index(np.argmax(diff), diff.shape))
                raise AssertionError(
                    f"{label_out}: relative error {err:.2g} against centred finite differences of the "
                    f"forward pass (a correct gradient gives below {tol:.0e}); the largest difference is "
                    f"{diff[where]:.3g} at index {where} (got {float(value[where]):.6g}, finite differences "
                    f"give {float(num[where]):.6g}).{tail}"
                )


def check_forecast_error(name, func, threshold=1e-3, seed=0):
    """Check that ``func`` (an ``esn_forecast``) predicts a held-out Mackey-Glass series well.

    The series (1500 samples of ``mackey_glass``, standardised) and a reservoir of
    100 units with spectral radius 0.9 are generated here from ``seed``; the first
    1200 samples train the readout (washout 100, alpha 1e-6) and the last 300 are
    held out. The normalised mean squared error of the predictions on them must be
    below ``threshold`` (the reference scores about 1e-6; predicting the mean scores 1).

    Raises:
    - AssertionError with the error reached.
    """
    if not callable(func):
        raise AssertionError(f"{name} is not a function (got a {type(func).__name__}); run the cell that defines it")
    x = esn.mackey_glass(1500)
    u = (x - x.mean()) / x.std()
    p = esn.make_reservoir(100, 1, 0.9, np.random.default_rng(seed), input_scale=0.5, bias_scale=0.2)
    what = f"{name} on a held-out Mackey-Glass series (T=1500, n_train=1200, H=100)"
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            pred = func(u.copy(), p["U"].copy(), p["W"].copy(), p["b"].copy(), 1.0, 1200, 100, 1e-6)
    except NotImplementedError:
        raise AssertionError(f"{name} is not implemented yet (it raised NotImplementedError)") from None
    except Exception as err:
        raise AssertionError(f"{what}: raised {type(err).__name__}: {err}") from None
    if type(pred) is not np.ndarray or pred.shape != (300,) or not np.issubdtype(pred.dtype, np.floating):
        raise AssertionError(f"{what}: expected a float array of shape (300,), got "
                             f"{getattr(pred, 'shape', type(pred).__name__)}")
    if not np.all(np.isfinite(pred)):
        raise AssertionError(f"{what}: the predictions contain inf or nan")
    error = float(np.mean((pred - u[1200:]) ** 2) / np.var(u[1200:]))
    if not error < threshold:
        raise AssertionError(
            f"{what}: normalised mean squared error {error:.3g} on the held-out part, expected below "
            f"{threshold:g}. Hint: {_HINTS['esn_forecast']}."
        )
