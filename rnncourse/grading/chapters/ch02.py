"""Chapter 2, backpropagation through time: assignment 02_bptt."""

from __future__ import annotations

import numpy as np

from ... import bptt, gradcheck, losses, rnn, training
from ..jail import GraderFunction
from ..spec import Task
from ._common import rnn_params as _rnn_params
from .ch01 import _cases_sequence_cross_entropy

# The losses that gradient_errors is given are written here, in numpy only, and sent
# to the jail as source: the jail never sees the reference package.
QUADRATIC = '''
def quadratic(p):
    return float(np.sum(A * p["a"] ** 2) + np.sum(np.sin(p["b"])))
'''

RNN_LOSS = '''
def rnn_loss(params):
    """Sequence cross-entropy of a tanh RNN with a softmax output, averaged over the batch."""
    h, total = h0, 0.0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ params["U"].T + h @ params["W"].T + params["b"])
        o = h @ params["V"].T + params["c"]
        o = o - o.max(axis=1, keepdims=True)
        log_p = o - np.log(np.exp(o).sum(axis=1, keepdims=True))
        total -= log_p[np.arange(X.shape[0]), Y[:, t]].sum()
    return float(total / X.shape[0])
'''


def rnn_loss_function(X, Y, h0):
    """The loss of ``rnn_loss_and_grads`` as a function of the parameters, as a grader-written function."""
    return GraderFunction(RNN_LOSS, "rnn_loss", {"X": X, "Y": Y, "h0": h0})


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
    A = rng.normal(0, 1, (2, 3))
    quadratic = GraderFunction(QUADRATIC, "quadratic", {"A": A})  # gradients: 2 A a and cos(b)
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
        cases.append((label, {"f": rnn_loss_function(X, Y, h0), "params": p, "grads": grads}))
    cases.append(("the correct quadratic with eps = 1e-5", {"f": quadratic, "params": pq, "grads": right, "eps": 1e-5}))
    return cases


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



TASKS = [
    Task("sequence_cross_entropy_backward", 2, losses.sequence_cross_entropy_backward, _cases_sequence_cross_entropy,
         "the gradient of the mean-over-the-batch loss is the softmax minus the one-hot target, divided by the "
         "batch size; the sum over time adds no factor", gradients=_fd_sequence_cross_entropy_backward),
    Task("output_backward", 2, bptt.output_backward, _cases_output_backward,
         "the output weights are shared by every example and every step, so their gradients add up over both; "
         "a single step may come without a time axis", outputs=("dHs", "dV", "dc"), gradients=_fd_output_backward),
    Task("rnn_step_backward", 2, bptt.rnn_step_backward, _cases_rnn_step_backward,
         "the gradient must pass through the derivative of tanh, written with the state after the step, before "
         "it reaches the weights and the inputs; check which side of each product is transposed",
         outputs=("dx", "dh_prev", "dU", "dW", "db"), gradients=_fd_rnn_step_backward),
    Task("rnn_backward", 2, bptt.rnn_backward, _cases_rnn_backward,
         "walk the steps backwards; the gradient on a state is its own part plus what the next step sends back, "
         "and the state before the first step is h0; the weights' gradients add up over the steps",
         outputs=("dX", "dh0", "dU", "dW", "db"), gradients=_fd_rnn_backward, calls=("rnn_step_backward",)),
    Task("rnn_loss_and_grads", 2, training.rnn_loss_and_grads, _cases_rnn_loss_and_grads,
         "the forward pass, the loss and the three backward pieces must agree on shapes and on the averaging "
         "over the batch; h_last is the state after the last step",
         outputs=("loss", "grads", "h_last"), gradients=_fd_rnn_loss_and_grads,
         calls=("sequence_cross_entropy_backward", "output_backward", "rnn_backward", "rnn_step_backward")),
    Task("gradient_errors", 2, gradcheck.gradient_errors, _cases_gradient_errors,
         "each key of grads is checked on its own: perturb that parameter inside params (f reads params), "
         "and compare with the relative error of the chapter"),
]
