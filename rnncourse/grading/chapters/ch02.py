"""Chapter 2, backpropagation through time: assignment 02_bptt."""

from __future__ import annotations

import numpy as np

from ... import bptt, gradcheck, losses, rnn, training
from ..checks import TestFailure, describe
from ..jail import GraderFunction
from ..spec import Probe, Task, _value_of
from ._common import rnn_params as _rnn_params
from .ch01 import _cases_sequence_cross_entropy

# The functions that step_size_errors differentiates are written here and sent to the jail as
# source: the jail never sees the reference package. They compute in plain Python floats, summed
# by math.fsum, so that they return the same bits in the jail and here: with tiny steps, the
# errors are rounding errors, and a sum whose last bit depended on where it ran would change them.
EXP_SUM = '''
import math


def exp_sum(z):
    """sum_i a_i exp(b_i z_i); its gradient is a b exp(b z)."""
    return math.fsum(a * math.exp(b * v) for a, b, v in zip(np.ravel(A).tolist(), np.ravel(B).tolist(),
                                                           np.ravel(z).tolist()))
'''

SQUARE_AND_SINES = '''
import math


def square_and_sines(z):
    """(sum_i z_i)^2 + sum_i c_i sin(z_i); its gradient is 2 sum(z) + c cos(z)."""
    v = np.ravel(z).tolist()
    total = math.fsum(v)
    return total * total + math.fsum(c * math.sin(t) for c, t in zip(np.ravel(C).tolist(), v))
'''

STEPS = 10.0 ** -np.arange(1, 13.5, 0.5)  # 1e-1 to 1e-13: truncation, the best step, rounding


def _exp_sum(rng, shape):
    """An exp_sum with random coefficients, its point and its gradient there."""
    a, b = rng.uniform(0.5, 2.0, shape), rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    x = rng.uniform(-1, 1, shape)
    return GraderFunction(EXP_SUM, "exp_sum", {"A": a, "B": b}), x, a * b * np.exp(b * x), b


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


def _cases_step_size_errors(rng):
    cases = []
    f, x, g, _ = _exp_sum(rng, (1,))
    cases.append(("f(z) = a exp(b z) of one entry, one step 1e-3", {"f": f, "x": x, "grad": g,
                                                                   "epsilons": np.array([1e-3])}))
    f, x, g, _ = _exp_sum(rng, (2, 3))
    cases.append(("f(z) = sum a exp(b z) on a 2 x 3 array, 25 steps from 1e-1 to 1e-13",
                  {"f": f, "x": x, "grad": g, "epsilons": STEPS}))
    c = rng.normal(0, 1, 4)
    x = rng.uniform(-1, 1, 4)
    wrong = 2 * np.sum(x) - c * np.cos(x)  # the sign of the cosine term flipped
    cases.append(("f(z) = (sum z)^2 + sum c sin(z) of 4 entries, a wrong gradient, steps 1e-2, 1e-5, 1e-8",
                  {"f": GraderFunction(SQUARE_AND_SINES, "square_and_sines", {"C": c}), "x": x, "grad": wrong,
                   "epsilons": np.array([1e-2, 1e-5, 1e-8])}))
    c = rng.normal(0, 1, (3, 2))
    x = rng.uniform(-1, 1, (3, 2))
    cases.append(("f(z) = (sum z)^2 + sum c sin(z) on a 3 x 2 array, its gradient, steps 0.3, 1e-4, 1e-11",
                  {"f": GraderFunction(SQUARE_AND_SINES, "square_and_sines", {"C": c}), "x": x,
                   "grad": 2 * np.sum(x) + c * np.cos(x), "epsilons": np.array([0.3, 1e-4, 1e-11])}))
    return cases


def _tradeoff_probes(task, rng):
    """The errors against the step, judged by what the chapter derives, not against the reference.

    For f(z) = sum_i a_i exp(b_i z_i), the differences have closed forms: the centred one is
    grad * sinh(b eps) / (b eps), the one-sided one grad * (exp(b eps) - 1) / (b eps). Where the
    truncation error dominates (eps >= 1e-3 centred, eps >= 1e-4 one-sided), the function's errors
    must be those of the closed forms, within 0.1%. Where rounding comes in, only the chapter's
    trade-off is asked for: the centred error is smallest for a step between 1e-7 and 1e-4 (near
    eps_mach^(1/3)) and the one-sided error for a step between 1e-10 and 1e-6 (near
    eps_mach^(1/2)), and at the smallest step, 1e-13, both are more than 100 times their minimum.
    """
    probes = []
    for shape in [(3, 2), (5,)]:
        f, x, g, b = _exp_sum(rng, shape)
        eps = STEPS[:, None] if len(shape) == 1 else STEPS[:, None, None]
        centred_closed = np.array([gradcheck.relative_error(g * np.sinh(b * e) / (b * e), g) for e in eps])
        one_sided_closed = np.array([gradcheck.relative_error(g * np.expm1(b * e) / (b * e), g) for e in eps])
        what = f"step_size_errors on f(z) = sum a exp(b z), x of shape {shape}, 25 steps from 1e-1 to 1e-13"

        def judge(outcome, what=what, cc=centred_closed, oc=one_sided_closed):
            got = _value_of(task, what, outcome)
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                raise TestFailure(f"{what}: expected a tuple (centred, one_sided), got {describe(got)}")
            for name, value, closed, large in [("centred", got[0], cc, STEPS >= 1e-3),
                                                ("one_sided", got[1], oc, STEPS >= 1e-4)]:
                if type(value) is not np.ndarray or value.shape != STEPS.shape or not np.all(np.isfinite(value)):
                    raise TestFailure(f"{what}, output {name}: expected a finite float array of shape (25,), "
                                      f"got {describe(value)}")
                apart = np.abs(value[large] / closed[large] - 1)
                if not np.all(apart < 1e-3):
                    j = int(np.argmax(apart))
                    raise TestFailure(
                        f"{what}, output {name}: at the step {STEPS[large][j]:.0e}, where truncation dominates, the "
                        f"error is {value[large][j]:.4g}, while the {name.replace('_', '-')} difference of this f "
                        f"has the error {closed[large][j]:.4g} (from its closed form). Hint: {task.hint}.")
                best = STEPS[int(np.argmin(value))]
                low, high = (1e-7, 1e-4) if name == "centred" else (1e-10, 1e-6)
                if not low <= best <= high:
                    raise TestFailure(
                        f"{what}, output {name}: the error is smallest at the step {best:.0e}; the chapter's "
                        f"trade-off between truncation and rounding puts the best step between {low:.0e} and "
                        f"{high:.0e} here. Hint: {task.hint}.")
                if not value[-1] > 100 * value.min():
                    raise TestFailure(
                        f"{what}, output {name}: at the step 1e-13 the error is {value[-1]:.3g}, not more than "
                        f"100 times its minimum {value.min():.3g}: rounding error should dominate there. "
                        f"Hint: {task.hint}.")

        probes.append(Probe(what, {"f": f, "x": x, "grad": g, "epsilons": STEPS.copy()}, judge))
    return probes


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



# Cases of realistic size for the hidden checks of the backward passes: the reference takes
# milliseconds on them, a gradient by finite differences (two forward passes per entry) minutes.
_AT_SCALE = ", a realistic size (finite differences would take minutes)"


def _at_scale_sequence_cross_entropy_backward(rng):
    N, T, K = 32, 50, 100
    return [(f"N={N}, T={T}, K={K}{_AT_SCALE}", {"O": rng.normal(0, 2, (N, T, K)), "Y": rng.integers(0, K, (N, T))})]


def _at_scale_output_backward(rng):
    N, T, H, K = 32, 50, 128, 100
    return [(f"N={N}, T={T}, H={H}, K={K}{_AT_SCALE}", {"dO": rng.normal(0, 1, (N, T, K)),
                                                       "Hs": rng.uniform(-1, 1, (N, T, H)),
                                                       "V": rng.normal(0, 1, (K, H))})]


def _at_scale_rnn_step_backward(rng):
    N, D, H = 64, 256, 256
    p = _rnn_params(rng, D, H)
    x, h_prev = rng.normal(0, 1, (N, D)), rng.uniform(-1, 1, (N, H))
    h = rnn.rnn_step_forward(x, h_prev, p["U"], p["W"], p["b"])
    return [(f"N={N}, D={D}, H={H}{_AT_SCALE}", {"dh": rng.normal(0, 1, (N, H)), "x": x, "h_prev": h_prev, "h": h,
                                               "U": p["U"], "W": p["W"]})]


def _at_scale_rnn_backward(rng):
    N, T, D, H = 32, 50, 64, 128
    p = _rnn_params(rng, D, H)
    X, h0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H))
    Hs = rnn.rnn_forward(X, h0, p["U"], p["W"], p["b"])
    return [(f"N={N}, T={T}, D={D}, H={H}{_AT_SCALE}", {"dHs": rng.normal(0, 1, (N, T, H)), "X": X, "h0": h0,
                                                      "Hs": Hs, "U": p["U"], "W": p["W"]})]

def _at_scale_rnn_loss_and_grads(rng):
    N, T, D, H, K = 32, 50, 64, 128, 100
    return [(f"N={N}, T={T}, D={D}, H={H}, K={K}{_AT_SCALE}",
             {"params": _rnn_params(rng, D, H, K), "X": rng.normal(0, 1, (N, T, D)),
              "Y": rng.integers(0, K, (N, T)), "h0": rng.uniform(-1, 1, (N, H))})]


TASKS = [
    Task("sequence_cross_entropy_backward", 2, losses.sequence_cross_entropy_backward, _cases_sequence_cross_entropy,
         "each step's softmax runs over the K classes, and stays finite for large logits; the loss is averaged "
         "over the batch and summed over time, and its gradient follows both", gradients=_fd_sequence_cross_entropy_backward, at_scale=_at_scale_sequence_cross_entropy_backward),
    Task("output_backward", 2, bptt.output_backward, _cases_output_backward,
         "the output weights are shared by every example and every step, so their gradients add up over both; "
         "a single step may come without a time axis", outputs=("dHs", "dV", "dc"), gradients=_fd_output_backward, at_scale=_at_scale_output_backward),
    Task("rnn_step_backward", 2, bptt.rnn_step_backward, _cases_rnn_step_backward,
         "the gradient must pass through the derivative of tanh, written with the state after the step, before "
         "it reaches the weights and the inputs; check which side of each product is transposed",
         outputs=("dx", "dh_prev", "dU", "dW", "db"), gradients=_fd_rnn_step_backward, at_scale=_at_scale_rnn_step_backward),
    Task("rnn_backward", 2, bptt.rnn_backward, _cases_rnn_backward,
         "walk the steps backwards with your rnn_step_backward; a state reaches the loss through its own output "
         "and through the steps after it, the first step starts from h0, and the weights are shared by every step",
         outputs=("dX", "dh0", "dU", "dW", "db"), gradients=_fd_rnn_backward, calls=("rnn_step_backward",), at_scale=_at_scale_rnn_backward),
    Task("rnn_loss_and_grads", 2, training.rnn_loss_and_grads, _cases_rnn_loss_and_grads,
         "the forward pass, the loss and the three backward pieces must agree on shapes and on the averaging "
         "over the batch; h_last is the state after the last step",
         outputs=("loss", "grads", "h_last"), gradients=_fd_rnn_loss_and_grads,
         calls=("sequence_cross_entropy_backward", "output_backward", "rnn_backward", "rnn_step_backward"), at_scale=_at_scale_rnn_loss_and_grads),
    Task("step_size_errors", 2, gradcheck.step_size_errors, _cases_step_size_errors,
         "perturb one entry at a time, by exactly eps on each side for the centred difference (divided by 2 eps) "
         "and by eps forwards from the unperturbed value for the one-sided one (divided by eps); compare each whole "
         "gradient with grad by the chapter's relative error, and leave x as it was",
         outputs=("centred", "one_sided"), atol=1e-13, extra={"tradeoff": _tradeoff_probes}),
]
