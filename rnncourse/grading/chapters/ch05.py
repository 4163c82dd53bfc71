"""Chapter 5, gated units: assignment 05_gated."""

from __future__ import annotations

import numpy as np

from ... import gated
from ..spec import Task

# (N, D, H) of the one-step cases: a scalar unit, one example, and batches with D != H
# on both sides (D < H and D > H), so that a transposed weight has the wrong shape or
# the wrong values.
STEP_SIZES = [(1, 1, 1), (1, 3, 2), (4, 5, 3), (3, 2, 6)]


def gated_params(rng, D, H, G, forget_bias=0.0):
    """Random stacked parameters U (G*H, D), W (G*H, H), b (G*H,) of G gate blocks.

    ``forget_bias`` is added to the second block of b (the LSTM's forget gate).
    """
    b = rng.normal(0, 0.5, G * H)
    b[H:2 * H] += forget_bias
    return {"U": rng.normal(0, 1 / np.sqrt(D), (G * H, D)), "W": rng.normal(0, 1 / np.sqrt(H), (G * H, H)), "b": b}


def _lstm_step_inputs(rng, N, D, H, G=4):
    return {"x": rng.normal(0, 1, (N, D)), "h_prev": rng.uniform(-1, 1, (N, H)), "C_prev": rng.normal(0, 1, (N, H)),
            **gated_params(rng, D, H, G)}


def _peepholes(rng, H):
    # Of the size of a gate's other inputs, so that a peephole on the wrong cell state shows.
    return {"pi_i": rng.normal(0, 1, H), "pi_f": rng.normal(0, 1, H), "pi_omega": rng.normal(0, 1, H)}


def _cases_lstm_step_forward(rng):
    return [(f"N={N}, D={D}, H={H}", _lstm_step_inputs(rng, N, D, H)) for N, D, H in STEP_SIZES]




def _cases_gru_step_forward(rng):
    return [(f"N={N}, D={D}, H={H}", {"x": rng.normal(0, 1, (N, D)), "h_prev": rng.uniform(-1, 1, (N, H)),
                                       **gated_params(rng, D, H, 3)}) for N, D, H in STEP_SIZES]


def _cases_gru_step_backward(rng):
    return [(label, {"dh_next": rng.normal(0, 1, kw["h_prev"].shape), **kw})
            for label, kw in _cases_gru_step_forward(rng)]


def _cases_peephole_lstm_step_forward(rng):
    return [(f"N={N}, D={D}, H={H}", {**_lstm_step_inputs(rng, N, D, H), **_peepholes(rng, H)})
            for N, D, H in STEP_SIZES]


def _cases_peephole_lstm_step_backward(rng):
    cases = []
    for k, (N, D, H) in enumerate(STEP_SIZES):
        kw = {**_lstm_step_inputs(rng, N, D, H), **_peepholes(rng, H)}
        dC = np.zeros((N, H)) if k == 1 else rng.normal(0, 1, (N, H))  # one case as at the last step
        label = f"N={N}, D={D}, H={H}" + (", dC_next = 0" if k == 1 else "")
        cases.append((label, {"dh_next": rng.normal(0, 1, (N, H)), "dC_next": dC, **kw}))
    # zero peepholes: the plain LSTM, whose backward pass the chapter derives (the measurement of
    # lstm_gradient_norms_through_time calls the step backward this way)
    N, D, H = 2, 3, 4
    kw = {**_lstm_step_inputs(rng, N, D, H), "pi_i": np.zeros(H), "pi_f": np.zeros(H), "pi_omega": np.zeros(H)}
    cases.append((f"N={N}, D={D}, H={H}, zero peepholes",
                  {"dh_next": rng.normal(0, 1, (N, H)), "dC_next": rng.normal(0, 1, (N, H)), **kw}))
    return cases


def _cases_lstm_gradient_norms_through_time(rng):
    cases = []
    for N, T, D, H, last_only, forget_bias in [(1, 1, 1, 1, False, 0.0), (2, 1, 3, 4, False, 0.0),
                                               (1, 6, 2, 3, True, 0.0), (3, 8, 2, 5, False, 0.0),
                                               (2, 12, 3, 4, True, 2.0)]:
        p = gated_params(rng, D, H, 4, forget_bias)
        X, h0, C0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H)), rng.normal(0, 1, (N, H))
        Hs, Cs = gated.lstm_forward(X, h0, C0, p["U"], p["W"], p["b"])
        dHs = rng.normal(0, 1, (N, T, H))
        if last_only:
            dHs[:, :-1] = 0.0
        label = (f"N={N}, T={T}, D={D}, H={H}" + (", a loss on the last state only" if last_only else "")
                 + (f", forget-gate bias +{forget_bias:g}" if forget_bias else ""))
        cases.append((label, {"dHs": dHs, "X": X, "h0": h0, "C0": C0, "Hs": Hs, "Cs": Cs, **p}))
    return cases


def _at_scale_lstm_gradient_norms_through_time(rng):
    # Finite differences state by state rerun the steps after each nudged entry: about H T^2 step calls,
    # minutes here, where the backward recursion takes T of them (0.2 s). Few rows: they would not slow the
    # differences (one nudge serves every example) but would the reference, on a loaded grading machine.
    N, T, D, H = 4, 200, 16, 128
    p = gated_params(rng, D, H, 4, 1.0)
    X, h0, C0 = rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H)), rng.normal(0, 1, (N, H))
    Hs, Cs = gated.lstm_forward(X, h0, C0, p["U"], p["W"], p["b"])
    return [(f"N={N}, T={T}, D={D}, H={H}{_AT_SCALE}", {"dHs": rng.normal(0, 1, (N, T, H)), "X": X, "h0": h0,
                                                      "C0": C0, "Hs": Hs, "Cs": Cs, **p})]


def _cases_cell_gradient_decay_rate(rng):
    cases = []
    for N, T, D, H, forget_bias in [(1, 2, 1, 1, 0.0), (2, 6, 3, 4, 0.0), (3, 10, 2, 5, 1.0), (2, 16, 3, 4, 3.0)]:
        p = gated_params(rng, D, H, 4, forget_bias)
        label = f"N={N}, T={T}, D={D}, H={H}" + (f", forget-gate bias +{forget_bias:g}" if forget_bias else "")
        cases.append((label, {"X": rng.normal(0, 1, (N, T, D)), "h0": rng.uniform(-1, 1, (N, H)),
                              "C0": rng.normal(0, 1, (N, H)), **p}))
    # W = 0 and one forget-gate value everywhere: both rates are log f
    H = 3
    p = gated_params(rng, 2, H, 4)
    p["W"][:] = 0.0
    p["U"][H:2 * H] = 0.0
    p["b"][H:2 * H] = 0.5
    cases.append(("N=2, T=8, D=2, H=3, W = 0 and every forget gate sigmoid(0.5)",
                  {"X": rng.normal(0, 1, (2, 8, 2)), "h0": rng.uniform(-1, 1, (2, H)), "C0": rng.normal(0, 1, (2, H)),
                   **p}))
    return cases


def _fd_peephole_lstm_step_backward(kw, rng):
    names = ("x", "h_prev", "C_prev", "U", "W", "b", "pi_i", "pi_f", "pi_omega")
    args = [kw[k] for k in names]
    # Both outputs at once: the loss is <dh_next, h_next> + <dC_next, C_next>.
    f = lambda _: np.concatenate(gated.peephole_lstm_step_forward(*args), axis=1)  # noqa: E731
    upstream = np.concatenate([kw["dh_next"], kw["dC_next"]], axis=1)
    return kw, [(f"d{n}", (lambda out, i=i: out[i]), v, f, upstream) for i, (n, v) in enumerate(zip(names, args))]


def _fd_gru_step_backward(kw, rng):
    x, h_prev, U, W, b = (kw[k] for k in ("x", "h_prev", "U", "W", "b"))
    f = lambda _: gated.gru_step_forward(x, h_prev, U, W, b)  # noqa: E731
    picks = [("dx", x), ("dh_prev", h_prev), ("dU", U), ("dW", W), ("db", b)]
    return kw, [(n, (lambda out, i=i: out[i]), v, f, kw["dh_next"]) for i, (n, v) in enumerate(picks)]


# Cases of realistic size for the hidden checks of the backward passes, where a gradient by finite
# differences (two forward passes per entry) would take minutes. The shortcut of nudging one column of
# a pre-activation for every example at once, and getting U, W, b, x as from a linear layer, costs a
# pair of forward passes over all N rows per column, so about 40 N H^2 elementwise operations: at
# N = 256, H = 512 that was 20 s (GRU) and 36 s (peephole LSTM) against a call's 10 s, where the
# reference takes about 0.15 s and the arrays stay far below the jail's 64 MiB reply.
_AT_SCALE = ", a realistic size (finite differences would take minutes)"


def _at_scale_peephole_lstm_step_backward(rng):
    N, D, H = 256, 128, 512
    return [(f"N={N}, D={D}, H={H}{_AT_SCALE}", {"dh_next": rng.normal(0, 1, (N, H)), "dC_next": rng.normal(0, 1, (N, H)),
                                               **_lstm_step_inputs(rng, N, D, H), **_peepholes(rng, H)})]


def _at_scale_gru_step_backward(rng):
    N, D, H = 256, 128, 512
    return [(f"N={N}, D={D}, H={H}{_AT_SCALE}", {"dh_next": rng.normal(0, 1, (N, H)), "x": rng.normal(0, 1, (N, D)),
                                               "h_prev": rng.uniform(-1, 1, (N, H)), **gated_params(rng, D, H, 3)})]

TASKS = [
    Task("lstm_step_forward", 5, gated.lstm_step_forward, _cases_lstm_step_forward,
         "the stacked rows come in the order input gate, forget gate, output gate, candidate; the three gates "
         "go through the sigmoid and only the candidate through tanh; the new state is the output gate times "
         "the tanh of the new cell; with the batch on the rows, each weight matrix is applied transposed",
         outputs=("h_next", "C_next")),
    Task("peephole_lstm_step_forward", 5, gated.peephole_lstm_step_forward, _cases_peephole_lstm_step_forward,
         "the input and forget gates look at the previous cell and the output gate at the new one, each "
         "through its own peephole weights, elementwise; so the output gate can only be computed after the "
         "new cell", outputs=("h_next", "C_next")),
    Task("peephole_lstm_step_backward", 5, gated.peephole_lstm_step_backward, _cases_peephole_lstm_step_backward,
         "with zero peepholes the step is the plain LSTM, whose backward pass the chapter derives; the peepholes "
         "add paths, and every path adds to the gradient of what it starts from: the output gate reads the new "
         "cell, so the new cell's gradient has a part through the output gate besides the one from the next step "
         "and the one through the hidden state, and it must be complete before it goes on to the input gate, the "
         "forget gate and the candidate; the input and forget gates read the previous cell, so the previous cell "
         "gets a part through each of them besides the one through the forget gate's product; a peephole weight "
         "is shared by the examples like the bias, so its gradient, like those of U, W and b, adds up over the "
         "batch", outputs=("dx", "dh_prev", "dC_prev", "dU", "dW", "db", "dpi_i", "dpi_f", "dpi_omega"),
         gradients=_fd_peephole_lstm_step_backward, at_scale=_at_scale_peephole_lstm_step_backward),
    Task("gru_step_forward", 5, gated.gru_step_forward, _cases_gru_step_forward,
         "the stacked rows come in the order reset gate, update gate, candidate; the reset gate scales the "
         "candidate block's recurrent product after the product is taken, not the previous state before it; "
         "the update gate is the share of the candidate in the new state, one minus it the share of the "
         "previous state"),
    Task("gru_step_backward", 5, gated.gru_step_backward, _cases_gru_step_backward,
         "the previous state reaches the new one on four paths, directly through the mix and through each of the "
         "three recurrent products, and each path adds to its gradient; the update gate appears in both terms of "
         "the mix; the reset gate stands between the candidate block's recurrent product and the candidate, so "
         "it changes the gradient that reaches that product and W, not the one that reaches the input product or "
         "the bias; the parameter gradients add up over the batch",
         outputs=("dx", "dh_prev", "dU", "dW", "db"), gradients=_fd_gru_step_backward, at_scale=_at_scale_gru_step_backward),
    Task("lstm_gradient_norms_through_time", 5, gated.lstm_gradient_norms_through_time,
         _cases_lstm_gradient_norms_through_time,
         "each total counts every path from its state to the loss exactly once: its own output, the "
         "later steps, and, for a cell, the hidden state of the same step; work out which of these paths "
         "the step backward's dh_next and dC_next stand for and which it adds itself, so that none is "
         "counted twice or left out; record the norms of both totals for every example and step",
         outputs=("h_norms", "C_norms"),
         calls=("peephole_lstm_step_backward",), at_scale=_at_scale_lstm_gradient_norms_through_time),
    Task("cell_gradient_decay_rate", 5, gated.cell_gradient_decay_rate, _cases_cell_gradient_decay_rate,
         "the loss puts a gradient of ones on the last hidden state only; the measured rate is the least-squares "
         "slope of the mean over the examples of the log cell-gradient norm against the lag, which is 0 at the "
         "last step and grows going back; the predicted rate averages the log forget gates of every step but "
         "the first", outputs=("measured", "predicted"),
         calls=("lstm_step_forward", "lstm_gradient_norms_through_time")),
]
