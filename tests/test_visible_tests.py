"""The visible tests of assignments 1-9 pass correct answers and catch the mistakes students make.

For each assignment the released notebook (``exercises/``, which ``test_release`` keeps equal to
a fresh ``nbgrader generate_assignment``) is filled with the source's answers and executed in one
kernel. Every visible test cell must then pass. Next, for each *mutant* below (one realistic
mistake in one answer cell), the mutant's answer cell is executed in that kernel, then the visible
test cell of its task, then the correct answer again: the visible cell must fail, with an error
output. Mutants are named after their mistake; each replaces exactly one answer cell.
"""

from __future__ import annotations

import copy
import functools
import os
import time
from typing import NamedTuple

import nbformat
import pytest

from rnncourse.grading.notebooks import filled_release, meta
from support import EXERCISES, ROOT, SOLUTIONS, jupyter_env, read

pytestmark = pytest.mark.slow

VISIBLE_ASSIGNMENTS = ["01_rnn_forward", "02_bptt", "03_long_term", "04_leaky_esn", "05_gated", "06_seq2seq", "07_attention", "08_ntm", "09_char_lm"]
CELL_TIMEOUT = 120  # seconds per cell; each visible cell takes well under a second or two


class Mutant(NamedTuple):
    assignment: str
    task: str  # the grade id of the answer cell it replaces (= the function's name)
    source: str


MUTANTS: dict[str, Mutant] = {}


def _v(template, correct, **changes):
    """A mutant's source: the template filled with the correct pieces but for the changed ones."""
    return template.format(**{**correct, **changes})


def mutant(assignment, task, name, source):
    assert name not in MUTANTS, name
    MUTANTS[name] = Mutant(assignment, task, source)


# ---------------------------------------------------------------- 01_rnn_forward
A1 = "01_rnn_forward"
mutant(A1, "softmax", "softmax_without_max_shift", """
def softmax(o):
    e = np.exp(o)
    return e / np.sum(e, axis=-1, keepdims=True)
""")
mutant(A1, "softmax", "softmax_over_the_first_axis", """
def softmax(o):
    e = np.exp(o - np.max(o, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
""")
mutant(A1, "softmax", "softmax_over_all_entries", """
def softmax(o):
    e = np.exp(o - np.max(o))
    return e / np.sum(e)
""")
mutant(A1, "softmax", "softmax_shifts_its_input_in_place", """
def softmax(o):
    o -= np.max(o, axis=-1, keepdims=True)
    e = np.exp(o)
    return e / np.sum(e, axis=-1, keepdims=True)
""")
mutant(A1, "sequence_cross_entropy", "cross_entropy_averaged_over_time", """
def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    z = O - np.max(O, axis=-1, keepdims=True)
    log_yhat = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    return float(-np.sum(log_yhat[np.arange(N)[:, None], np.arange(T), Y]) / T)
""")
mutant(A1, "sequence_cross_entropy", "cross_entropy_averaged_over_batch_and_time", """
def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    z = O - np.max(O, axis=-1, keepdims=True)
    log_yhat = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    return float(-np.mean(log_yhat[np.arange(N)[:, None], np.arange(T), Y]))
""")
mutant(A1, "sequence_cross_entropy", "cross_entropy_without_max_shift", """
def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    log_yhat = O - np.log(np.sum(np.exp(O), axis=-1, keepdims=True))
    return float(-np.sum(log_yhat[np.arange(N)[:, None], np.arange(T), Y]) / N)
""")
mutant(A1, "sequence_cross_entropy", "cross_entropy_log_of_rounded_probabilities", """
def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    e = np.exp(O - np.max(O, axis=-1, keepdims=True))
    yhat = e / np.sum(e, axis=-1, keepdims=True)
    return float(-np.sum(np.log(yhat[np.arange(N)[:, None], np.arange(T), Y])) / N)
""")
mutant(A1, "sequence_cross_entropy", "cross_entropy_softmax_over_time", """
def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    z = O - np.max(O, axis=1, keepdims=True)
    log_yhat = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return float(-np.sum(log_yhat[np.arange(N)[:, None], np.arange(T), Y]) / N)
""")
mutant(A1, "rnn_step_forward", "step_W_transposed", """
def rnn_step_forward(x, h_prev, U, W, b):
    return np.tanh(b + h_prev @ W + x @ U.T)
""")
mutant(A1, "rnn_step_forward", "step_U_transposed", """
def rnn_step_forward(x, h_prev, U, W, b):
    return np.tanh(b + h_prev @ W.T + x @ U)
""")
mutant(A1, "rnn_step_forward", "step_without_bias", """
def rnn_step_forward(x, h_prev, U, W, b):
    return np.tanh(h_prev @ W.T + x @ U.T)
""")
mutant(A1, "rnn_forward", "forward_stores_h0_not_the_last_state", """
def rnn_forward(X, h0, U, W, b):
    N, T, _ = X.shape
    Hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        Hs[:, t] = h
        h = rnn_step_forward(X[:, t], h, U, W, b)
    return Hs
""")
mutant(A1, "rnn_forward", "forward_skips_the_last_step", """
def rnn_forward(X, h0, U, W, b):
    N, T, _ = X.shape
    Hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T - 1):
        h = rnn_step_forward(X[:, t], h, U, W, b)
        Hs[:, t] = h
    return Hs
""")
mutant(A1, "rnn_forward", "forward_every_step_from_h0", """
def rnn_forward(X, h0, U, W, b):
    return np.stack([rnn_step_forward(X[:, t], h0, U, W, b) for t in range(X.shape[1])], axis=1)
""")
mutant(A1, "rnn_forward", "forward_W_transposed", """
def rnn_forward(X, h0, U, W, b):
    states, h = [], h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ U.T + h @ W + b)
        states.append(h)
    return np.stack(states, axis=1)
""")
mutant(A1, "rnn_forward", "forward_overwrites_h0_in_place", """
def rnn_forward(X, h0, U, W, b):
    N, T, _ = X.shape
    Hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h[:] = rnn_step_forward(X[:, t], h, U, W, b)
        Hs[:, t] = h
    return Hs
""")
mutant(A1, "many_to_one_forward", "many_to_one_from_the_first_state", """
def many_to_one_forward(X, h0, U, W, b, V, c):
    return rnn_forward(X, h0, U, W, b)[:, 0] @ V.T + c
""")
mutant(A1, "many_to_one_forward", "many_to_one_from_the_state_before_last", """
def many_to_one_forward(X, h0, U, W, b, V, c):
    return rnn_forward(X, h0, U, W, b)[:, -2] @ V.T + c
""")
mutant(A1, "many_to_one_forward", "many_to_one_without_output_bias", """
def many_to_one_forward(X, h0, U, W, b, V, c):
    return rnn_forward(X, h0, U, W, b)[:, -1] @ V.T
""")
mutant(A1, "many_to_one_forward", "many_to_one_V_transposed", """
def many_to_one_forward(X, h0, U, W, b, V, c):
    return rnn_forward(X, h0, U, W, b)[:, -1] @ V + c
""")

# ---------------------------------------------------------------- 02_bptt
A2 = "02_bptt"
_SCEB = """
def sequence_cross_entropy_backward(O, Y):
    N, T, K = O.shape
    {shift}
    probs = probs / np.sum(probs, axis={axis}, keepdims=True)
    rows, steps = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    probs[rows, steps, Y] -= 1.0
    return probs / {divisor}
"""
_SHIFT = "probs = np.exp(O - np.max(O, axis=-1, keepdims=True))"
mutant(A2, "sequence_cross_entropy_backward", "dO_divided_by_T",
       _SCEB.format(shift=_SHIFT, axis=-1, divisor="T"))
mutant(A2, "sequence_cross_entropy_backward", "dO_divided_by_N_times_T",
       _SCEB.format(shift=_SHIFT, axis=-1, divisor="(N * T)"))
mutant(A2, "sequence_cross_entropy_backward", "dO_without_max_shift",
       _SCEB.format(shift="probs = np.exp(O)", axis=-1, divisor="N"))
mutant(A2, "sequence_cross_entropy_backward", "dO_softmax_over_time",
       _SCEB.format(shift="probs = np.exp(O - np.max(O, axis=1, keepdims=True))", axis=1, divisor="N"))
mutant(A2, "sequence_cross_entropy_backward", "dO_shifts_the_logits_in_place",
       _SCEB.format(shift="O -= np.max(O, axis=-1, keepdims=True)\n    probs = np.exp(O)", axis=-1,
                    divisor="N"))

_OB = """
def output_backward(dO, Hs, V):
    K, H = V.shape
    dO_rows, Hs_rows = dO.reshape(-1, K), Hs.reshape(-1, H)
    dHs = {dHs}
    dV = {dV}
    dc = {dc}
    return dHs, dV, dc
"""
_OB_OK = dict(dHs="dO @ V", dV="dO_rows.T @ Hs_rows", dc="np.sum(dO_rows, axis=0)")
mutant(A2, "output_backward", "output_dV_transposed", _v(_OB, _OB_OK, dV="Hs_rows.T @ dO_rows"))
mutant(A2, "output_backward", "output_dHs_through_V_transposed", _v(_OB, _OB_OK, dHs="dO @ V.T"))
mutant(A2, "output_backward", "output_dc_missing", _v(_OB, _OB_OK, dc="np.zeros(K)"))
mutant(A2, "output_backward", "output_dc_averaged", _v(_OB, _OB_OK, dc="np.mean(dO_rows, axis=0)"))

_RSB = """
def rnn_step_backward(dh, x, h_prev, h, U, W):
    {da}
    dx = {dx}
    dh_prev = {dh_prev}
    dU = {dU}
    dW = {dW}
    db = {db}
    return dx, dh_prev, dU, dW, db
"""
_RSB_OK = dict(da="da = dh * (1.0 - h ** 2)", dx="da @ U", dh_prev="da @ W", dU="da.T @ x",
               dW="da.T @ h_prev",
               db="np.sum(da, axis=0)")
mutant(A2, "rnn_step_backward", "step_backward_without_tanh_derivative", _v(_RSB, _RSB_OK, da="da = dh"))
mutant(A2, "rnn_step_backward", "step_backward_dh_prev_W_transposed", _v(_RSB, _RSB_OK, dh_prev="da @ W.T"))
mutant(A2, "rnn_step_backward", "step_backward_dW_transposed", _v(_RSB, _RSB_OK, dW="h_prev.T @ da"))
mutant(A2, "rnn_step_backward", "step_backward_dU_transposed", _v(_RSB, _RSB_OK, dU="x.T @ da"))
mutant(A2, "rnn_step_backward", "step_backward_db_missing", _v(_RSB, _RSB_OK, db="np.zeros(W.shape[0])"))
mutant(A2, "rnn_step_backward", "step_backward_db_averaged", _v(_RSB, _RSB_OK, db="np.mean(da, axis=0)"))
mutant(A2, "rnn_step_backward", "step_backward_db_without_tanh_derivative",
       _v(_RSB, _RSB_OK, db="np.sum(dh, axis=0)"))
mutant(A2, "rnn_step_backward", "step_backward_scales_dh_in_place",
       _v(_RSB, _RSB_OK, da="dh *= 1.0 - h ** 2\n    da = dh"))

_RB = """
def rnn_backward(dHs, X, h0, Hs, U, W):
    N, T, D = X.shape
    H = W.shape[0]
    dX, dU, dW, db = np.zeros((N, T, D)), np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dh_later = np.zeros((N, H))
    for t in reversed(range(T)):
        state_before = {state_before}
        {total}
        dX[:, t], dh_later, dU_t, dW_t, db_t = rnn_step_backward(total, X[:, t], state_before, Hs[:, t], U, W)
        dU += dU_t
        dW += dW_t
        db += db_t
    return dX, dh_later, dU, dW, db
"""
_RB_OK = dict(state_before="h0 if t == 0 else Hs[:, t - 1]", total="total = dHs[:, t] + dh_later")
mutant(A2, "rnn_backward", "bptt_without_the_later_gradient", _v(_RB, _RB_OK, total="total = dHs[:, t]"))
mutant(A2, "rnn_backward", "bptt_state_after_the_step", _v(_RB, _RB_OK, state_before="Hs[:, t]"))
mutant(A2, "rnn_backward", "bptt_forgets_h0", _v(_RB, _RB_OK, state_before="Hs[:, t - 1]"))
mutant(A2, "rnn_backward", "bptt_adds_into_dHs_in_place",
       _v(_RB, _RB_OK, total="dHs[:, t] += dh_later\n        total = dHs[:, t]"))

_RLG = """
def rnn_loss_and_grads(params, X, Y, h0):
    U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["c"]
    N, T, D = X.shape
    state, states = h0, np.zeros((N, T, W.shape[0]))
    for t in range(T):
        state = np.tanh(X[:, t] @ U.T + {recurrence} + b)
        states[:, t] = state
    O = {logits}
    z = O - np.max(O, axis=-1, keepdims=True)
    log_probs = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    loss = -np.sum(np.take_along_axis(log_probs, Y[..., None], axis=-1)) / {divisor}
    dHs, dV, dc = output_backward(sequence_cross_entropy_backward(O, Y), states, V)
    dX, dh0, dU, dW, db = rnn_backward(dHs, X, h0, states, U, W)
    return float(loss), {{"U": dU, "W": dW, "b": db, "V": dV, "c": dc}}, {last}
"""
_RLG_OK = dict(recurrence="state @ W.T", logits="states @ V.T + c", divisor="N", last="states[:, -1]")
mutant(A2, "rnn_loss_and_grads", "loss_averaged_over_time", _v(_RLG, _RLG_OK, divisor="T"))
mutant(A2, "rnn_loss_and_grads", "loss_forward_W_transposed", _v(_RLG, _RLG_OK, recurrence="state @ W"))
mutant(A2, "rnn_loss_and_grads", "loss_without_output_bias", _v(_RLG, _RLG_OK, logits="states @ V.T"))
mutant(A2, "rnn_loss_and_grads", "loss_returns_the_first_state", _v(_RLG, _RLG_OK, last="states[:, 0]"))

_SSE = """
def step_size_errors(f, x, grad, epsilons):
    f0 = f(x)
    centred, one_sided = np.zeros(len(epsilons)), np.zeros(len(epsilons))
    for j, eps in enumerate(epsilons):
        d_centred, d_one_sided = np.zeros_like(x), np.zeros_like(x)
        for i in np.ndindex(x.shape):
            {perturb}
            d_centred[i] = {centred}
            d_one_sided[i] = {one_sided}
        centred[j] = {error_c}
        one_sided[j] = relative_error(d_one_sided, grad)
    return {out}
"""
_SSE_OK = dict(perturb="z = x.copy()\n            z[i] = x[i] + eps\n            f_plus = f(z)\n"
                       "            z[i] = x[i] - eps\n            f_minus = f(z)",
               centred="(f_plus - f_minus) / (2 * eps)", one_sided="(f_plus - f0) / eps",
               error_c="relative_error(d_centred, grad)", out="centred, one_sided")
mutant(A2, "step_size_errors", "centred_difference_divided_by_eps",
       _v(_SSE, _SSE_OK, centred="(f_plus - f_minus) / eps"))
mutant(A2, "step_size_errors", "one_sided_difference_backwards",
       _v(_SSE, _SSE_OK, one_sided="(f0 - f_minus) / eps"))
mutant(A2, "step_size_errors", "step_size_errors_outputs_swapped", _v(_SSE, _SSE_OK, out="one_sided, centred"))
mutant(A2, "step_size_errors", "step_size_errors_perturbs_every_entry_at_once",
       _v(_SSE, _SSE_OK, perturb="f_plus, f_minus = f(x + eps), f(x - eps)"))
mutant(A2, "step_size_errors", "step_size_errors_leaves_x_perturbed",
       _v(_SSE, _SSE_OK, perturb="x[i] += eps\n            f_plus = f(x)\n            x[i] -= 2 * eps\n"
                                 "            f_minus = f(x)"))
mutant(A2, "step_size_errors", "step_size_errors_largest_difference_not_relative",
       _v(_SSE, _SSE_OK, error_c="np.max(np.abs(d_centred - grad))"))
mutant(A2, "step_size_errors", "step_size_errors_step_relative_to_the_entry",
       _v(_SSE, _SSE_OK, perturb="z = x.copy()\n            z[i] = x[i] * (1 + eps)\n            f_plus = f(z)\n"
                                 "            z[i] = x[i] * (1 - eps)\n            f_minus = f(z)"))
mutant(A2, "rnn_loss_and_grads", "loss_and_grads_h_last_is_the_first_state", """
def rnn_loss_and_grads(params, X, Y, h0):
    U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["c"]
    N, T, D = X.shape
    state, states = h0, np.zeros((N, T, W.shape[0]))
    for t in range(T):
        state = np.tanh(X[:, t] @ U.T + state @ W.T + b)
        states[:, t] = state
    O = states @ V.T + c
    top = np.max(O, axis=-1, keepdims=True)
    log_probs = O - top - np.log(np.sum(np.exp(O - top), axis=-1, keepdims=True))
    loss = -np.sum(np.take_along_axis(log_probs, Y[..., None], axis=-1)) / N
    dHs, dV, dc = output_backward(sequence_cross_entropy_backward(O, Y), states, V)
    dX, dh0, dU, dW, db = rnn_backward(dHs, X, h0, states, U, W)
    return float(loss), {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}, states[:, 0]
""")

# ---------------------------------------------------------------- 03_long_term
A3 = "03_long_term"
_EC = """
def eigen_components(W, h0, t):
    eigenvalues, Q = np.linalg.eigh(W)
    return {body}
"""
_EC_OK = dict(body="(eigenvalues ** t * (Q.T @ h0))[:, None] * Q.T")
mutant(A3, "eigen_components", "components_along_rows_of_Q", _v(_EC, _EC_OK, body="(eigenvalues ** t * (Q @ h0))[:, None] * Q"))
mutant(A3, "eigen_components", "components_without_the_power", _v(_EC, _EC_OK, body="(Q.T @ h0)[:, None] * Q.T"))
mutant(A3, "eigen_components", "components_as_coordinates_on_the_diagonal",
       _v(_EC, _EC_OK, body="np.diag(eigenvalues ** t * (Q.T @ h0))"))
mutant(A3, "eigen_components", "library_power_without_the_split", """
def eigen_components(W, h0, t):
    return np.diag(np.linalg.matrix_power(W, t) @ h0)
""")
_GDR = """
def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    norms = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    T = norms.shape[1]
    lag = {lag}
    slope = np.polyfit(lag, {fitted}, 1)[0]
    return float(np.exp(slope)), {predicted}
"""
_GDR_OK = dict(lag="np.arange(T - 1, -1, -1)", fitted="np.log(norms).mean(axis=0)",
               predicted="float(np.max(np.abs(np.linalg.eigvals(W))))")
mutant(A3, "gradient_decay_rate", "decay_rate_lag_counted_forwards", _v(_GDR, _GDR_OK, lag="np.arange(T)"))
mutant(A3, "gradient_decay_rate", "decay_rate_without_the_logarithm", _v(_GDR, _GDR_OK, fitted="norms.mean(axis=0)"))
mutant(A3, "gradient_decay_rate", "decay_rate_log_of_the_mean_norm",
       _v(_GDR, _GDR_OK, fitted="np.log(norms.mean(axis=0))"))
mutant(A3, "gradient_decay_rate", "decay_rate_predicts_the_largest_singular_value",
       _v(_GDR, _GDR_OK, predicted="float(np.linalg.norm(W, 2))"))
_JPN = """
def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    rho = {rho}
    sigma = {sigma}
    norms, bounds = np.zeros((N, T)), np.zeros((N, T))
    for n in range(N):
        product, bound = np.eye(H), 1.0
        for t in range(T - 1, -1, -1):
            norms[n, t] = {norm}
            bounds[n, t] = bound
            if unit == "tanh":
                slope = {slope}
            else:
                slope = {logistic_slope}
            product = {product}
            bound = bound * {largest} * sigma
    return rho, norms, bounds
"""
_JPN_OK = dict(rho="float(np.max(np.abs(np.linalg.eigvals(W))))", sigma="np.linalg.norm(W, 2)",
               norm="np.linalg.norm(product, 2)", slope="1.0 - Hs[n, t] ** 2",
               logistic_slope="Hs[n, t] * (1.0 - Hs[n, t])", product="product @ (slope[:, None] * W)",
               largest="np.max(slope)")
mutant(A3, "jacobian_product_norms", "radius_of_the_real_parts",
       _v(_JPN, _JPN_OK, rho="float(np.max(np.abs(np.linalg.eigvals(W).real)))"))
mutant(A3, "jacobian_product_norms", "radius_as_the_largest_singular_value", _v(_JPN, _JPN_OK, rho="float(np.linalg.norm(W, 2))"))
mutant(A3, "jacobian_product_norms", "jacobian_scales_columns", _v(_JPN, _JPN_OK, product="product @ (W * slope)"))
mutant(A3, "jacobian_product_norms", "jacobian_W_transposed", _v(_JPN, _JPN_OK, product="product @ (slope[:, None] * W.T)"))
mutant(A3, "jacobian_product_norms", "jacobian_product_in_the_wrong_order",
       _v(_JPN, _JPN_OK, product="(slope[:, None] * W) @ product"))
mutant(A3, "jacobian_product_norms", "jacobian_without_tanh_derivative", _v(_JPN, _JPN_OK, product="product @ W"))
mutant(A3, "jacobian_product_norms", "jacobian_product_norm_frobenius", _v(_JPN, _JPN_OK, norm="np.linalg.norm(product)"))
mutant(A3, "jacobian_product_norms", "jacobian_slope_of_the_state_before_the_step",
       _v(_JPN, _JPN_OK, slope="1.0 - (Hs[n, t - 1] if t > 0 else np.zeros(H)) ** 2"))
mutant(A3, "jacobian_product_norms", "bound_with_the_mean_slope", _v(_JPN, _JPN_OK, largest="np.mean(slope)"))
mutant(A3, "jacobian_product_norms", "bound_with_the_spectral_radius", _v(_JPN, _JPN_OK, sigma="rho"))
# logistic units: the chapter's tanh slope copied, the slope of the state before the step (tanh right), the
# logistic applied once more to the state as if it were the pre-activation, and the largest slope the logistic
# can have (1/4) in the bound instead of the slopes of these states
mutant(A3, "jacobian_product_norms", "logistic_units_with_the_tanh_slope",
       _v(_JPN, _JPN_OK, logistic_slope="1.0 - Hs[n, t] ** 2"))
mutant(A3, "jacobian_product_norms", "logistic_slope_of_the_state_before_the_step",
       _v(_JPN, _JPN_OK, logistic_slope="Hs[n, t - 1] * (1.0 - Hs[n, t - 1]) if t > 0 else np.full(H, 0.25)"))
mutant(A3, "jacobian_product_norms", "logistic_slope_of_the_logistic_of_the_state",
       _v(_JPN, _JPN_OK, logistic_slope="(1 / (1 + np.exp(-Hs[n, t]))) * (1 - 1 / (1 + np.exp(-Hs[n, t])))"))
mutant(A3, "jacobian_product_norms", "logistic_bound_with_the_largest_possible_slope",
       _v(_JPN, _JPN_OK, largest="(np.max(slope) if unit == 'tanh' else 0.25)"))
mutant(A3, "jacobian_product_norms", "unit_ignored_tanh_everywhere", """
def jacobian_product_norms(Hs, W, unit):
    N, T, H = Hs.shape
    sigma = np.linalg.norm(W, 2)
    norms, bounds = np.zeros((N, T)), np.zeros((N, T))
    for n in range(N):
        product, bound = np.eye(H), 1.0
        for t in range(T - 1, -1, -1):
            norms[n, t], bounds[n, t] = np.linalg.norm(product, 2), bound
            slope = 1.0 - Hs[n, t] ** 2
            product = product @ (slope[:, None] * W)
            bound = bound * np.max(slope) * sigma
    return float(np.max(np.abs(np.linalg.eigvals(W)))), norms, bounds
""")
_GNTT = """
def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    N, T, H = Hs.shape
    norms, from_later = np.zeros((N, T)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        {total}
        norms[:, t] = np.sqrt(np.sum(total ** 2, axis=1))
        from_later = {back}
    return norms
"""
_GNTT_OK = dict(total="total = dHs[:, t] + from_later", back="(total * (1.0 - Hs[:, t] ** 2)) @ W")
mutant(A3, "gradient_norms_through_time", "norms_without_tanh_derivative",
       _v(_GNTT, _GNTT_OK, back="total @ W"))
mutant(A3, "gradient_norms_through_time", "norms_W_transposed",
       _v(_GNTT, _GNTT_OK, back="(total * (1.0 - Hs[:, t] ** 2)) @ W.T"))
mutant(A3, "gradient_norms_through_time", "norms_derivative_at_the_earlier_state",
       _v(_GNTT, _GNTT_OK, back="(total * (1.0 - Hs[:, t - 1] ** 2)) @ W"))
mutant(A3, "gradient_norms_through_time", "norms_add_into_dHs_in_place",
       _v(_GNTT, _GNTT_OK, total="dHs[:, t] += from_later\n        total = dHs[:, t]"))
_CG = """
def clip_gradients(grads, max_norm):
    norm = {norm}
    factor = {factor}
    clipped = {{}}
    for name, g in grads.items():
        {scale}
    return clipped, {returned}
"""
_CG_OK = dict(norm="math.sqrt(sum(float(np.sum(g ** 2)) for g in grads.values()))",
              factor="max_norm / norm if norm > max_norm else 1.0", scale="clipped[name] = g * factor", returned="norm")
mutant(A3, "clip_gradients", "clip_norm_as_a_sum_of_norms",
       _v(_CG, _CG_OK, norm="sum(float(np.linalg.norm(g)) for g in grads.values())"))
mutant(A3, "clip_gradients", "clip_scales_in_place",
       _v(_CG, _CG_OK, scale="g *= factor\n        clipped[name] = g.copy()"))
mutant(A3, "clip_gradients", "clip_always_rescales", _v(_CG, _CG_OK, factor="max_norm / norm"))
mutant(A3, "clip_gradients", "clip_each_array_separately", _v(_CG, _CG_OK, scale=(
    "n = float(np.linalg.norm(g))\n        clipped[name] = g * (max_norm / n if n > max_norm else 1.0)")))
mutant(A3, "clip_gradients", "clip_returns_the_norm_after_clipping", _v(_CG, _CG_OK, returned="min(norm, max_norm)"))
mutant(A3, "clip_gradients", "clip_by_value_instead", _v(_CG, _CG_OK, scale="clipped[name] = np.clip(g, -max_norm, max_norm)"))
mutant(A3, "clip_gradients", "clip_turns_float32_into_float64",
       _v(_CG, _CG_OK, scale="clipped[name] = g.astype(float) * factor"))

# ---------------------------------------------------------------- 04_leaky_esn
A4 = "04_leaky_esn"
_LRF = """
def leaky_rnn_forward(X, h0, U, W, b, gamma):
    N, T, D = X.shape
    g = np.asarray(gamma, dtype=float)
    keep, mix = {keep}, {mix}
    Hs = np.zeros((N, T, W.shape[0]))
    h = h0
    for t in range(T):
        {body}
    return Hs
"""
_LRF_OK = dict(keep="1.0 - 1.0 / g", mix="1.0 / g",
               body="h = keep * h + mix * np.tanh(b + h @ W.T + X[:, t] @ U.T)\n        Hs[:, t] = h")
mutant(A4, "leaky_rnn_forward", "leaky_coefficients_swapped",
       _v(_LRF, _LRF_OK, keep="1.0 / g", mix="1.0 - 1.0 / g"))
mutant(A4, "leaky_rnn_forward", "leaky_W_transposed",
       _v(_LRF, _LRF_OK, body="h = keep * h + mix * np.tanh(b + h @ W + X[:, t] @ U.T)\n"
                              "        Hs[:, t] = h"))
mutant(A4, "leaky_rnn_forward", "leaky_U_transposed",
       _v(_LRF, _LRF_OK, body="h = keep * h + mix * np.tanh(b + h @ W.T + X[:, t] @ U)\n"
                              "        Hs[:, t] = h"))
mutant(A4, "leaky_rnn_forward", "leaky_without_bias",
       _v(_LRF, _LRF_OK, body="h = keep * h + mix * np.tanh(h @ W.T + X[:, t] @ U.T)\n        Hs[:, t] = h"))
mutant(A4, "leaky_rnn_forward", "leaky_stores_h0_not_the_last_state",
       _v(_LRF, _LRF_OK, body="Hs[:, t] = h\n"
                              "        h = keep * h + mix * np.tanh(b + h @ W.T + X[:, t] @ U.T)"))
mutant(A4, "leaky_rnn_forward", "leaky_updates_h0_in_place",
       _LRF.format(**{**_LRF_OK, "body": "new = np.tanh(b + h @ W.T + X[:, t] @ U.T)\n        h *= keep\n"
                                          "        h += mix * new\n        Hs[:, t] = h"}))
_LRB = """
def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    N, T, D = X.shape
    H = W.shape[0]
    g = np.asarray(gamma, dtype=float)
    keep = 1.0 - 1.0 / g
    dX, dU, dW, db = np.zeros((N, T, D)), np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dh_later = np.zeros((N, H))
    for t in reversed(range(T)):
        state_before = {state_before}
        s = g * (Hs[:, t] - keep * state_before)
        {total}
        da = {da}
        dX[:, t] = da @ U
        dU += da.T @ X[:, t]
        dW += {dW}
        {db}
        dh_later = {back}
    return dX, dh_later, dU, dW, db
"""
_LRB_OK = dict(state_before="h0 if t == 0 else Hs[:, t - 1]", total="total = dHs[:, t] + dh_later",
               da="total / g * (1.0 - s ** 2)", dW="da.T @ state_before", db="db += np.sum(da, axis=0)",
               back="keep * total + da @ W")
mutant(A4, "leaky_rnn_backward", "leaky_backward_without_tanh_derivative", _v(_LRB, _LRB_OK, da="total / g"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_without_1_over_gamma",
       _v(_LRB, _LRB_OK, da="total * (1.0 - s ** 2)"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_leak_coefficient_swapped",
       _v(_LRB, _LRB_OK, back="total / g + da @ W"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_dh_W_transposed",
       _v(_LRB, _LRB_OK, back="keep * total + da @ W.T"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_dW_transposed", _v(_LRB, _LRB_OK, dW="state_before.T @ da"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_db_only_first_step",
       _v(_LRB, _LRB_OK, db="db = np.sum(da, axis=0)"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_forgets_h0", _v(_LRB, _LRB_OK, state_before="Hs[:, t - 1]"))
mutant(A4, "leaky_rnn_backward", "leaky_backward_adds_into_dHs_in_place",
       _v(_LRB, _LRB_OK, total="dHs[:, t] += dh_later\n        total = dHs[:, t]"))
_RR = """
def ridge_readout(states, targets, mu):
    T_tr, H = states.shape
    Z = np.hstack([states, np.ones((T_tr, 1))])
    P = {P}
    w = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ targets)
    return {out}
"""
_RR_OK = dict(P="np.diag(np.r_[np.ones(H), 0.0])", out="w[:H].T.copy(), w[H].copy()")
mutant(A4, "ridge_readout", "ridge_penalises_the_bias", _v(_RR, _RR_OK, P="np.eye(H + 1)"))
mutant(A4, "ridge_readout", "ridge_V_transposed", _v(_RR, _RR_OK, out="w[:H].copy(), w[H].copy()"))
mutant(A4, "ridge_readout", "ridge_without_bias", """
def ridge_readout(states, targets, mu):
    T_tr, H = states.shape
    w = np.linalg.solve(states.T @ states + mu * np.eye(H), states.T @ targets)
    return w.T.copy(), np.zeros(targets.shape[1])
""")
mutant(A4, "memory_capacity", "memory_capacity_delay_off_by_one", """
def memory_capacity(x, states, max_delay, mu=1e-06):
    T = x.shape[0]
    steps = np.arange(max_delay, T)
    train, test = steps[:len(steps) // 2], steps[len(steps) // 2:]
    mc_k = np.zeros(max_delay)
    for k in range(1, max_delay + 1):
        V, c = ridge_readout(states[train], x[train - k + 1][:, None], mu)
        y = states[test] @ V[0] + c[0]
        y, target = y - y.mean(), x[test - k + 1] - x[test - k + 1].mean()
        denom = np.sum(y * y) * np.sum(target * target)
        mc_k[k - 1] = np.sum(y * target) ** 2 / denom if denom > 0 else 0.0
    return float(np.sum(mc_k)), mc_k
""")
mutant(A4, "esn_forecast", "forecast_from_the_state_one_step_late", """
def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T, H = x.shape[0], W.shape[0]
    states = leaky_rnn_forward(x.reshape(1, T, 1), np.zeros((1, H)), U, W, b, gamma)[0]
    V, c = ridge_readout(states[washout:n_train - 1], x[washout + 1:n_train].reshape(-1, 1), mu)
    return states[n_train:T] @ V[0] + c[0]
""")
mutant(A4, "memory_capacity", "memory_capacity_scored_on_the_training_steps", """
def memory_capacity(x, states, max_delay, mu=1e-06):
    T = x.shape[0]
    steps = np.arange(max_delay, T)
    mc_k = np.zeros(max_delay)
    for k in range(1, max_delay + 1):
        V, c = ridge_readout(states[steps], x[steps - k][:, None], mu)
        y = states[steps] @ V[0] + c[0]
        y, target = y - y.mean(), x[steps - k] - x[steps - k].mean()
        denom = np.sum(y * y) * np.sum(target * target)
        mc_k[k - 1] = np.sum(y * target) ** 2 / denom if denom > 0 else 0.0
    return float(np.sum(mc_k)), mc_k
""")
mutant(A4, "esn_forecast", "forecast_trains_on_the_washout", """
def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T, H = x.shape[0], W.shape[0]
    states = leaky_rnn_forward(x.reshape(1, T, 1), np.zeros((1, H)), U, W, b, gamma)[0]
    V, c = ridge_readout(states[:n_train - 1], x[1:n_train].reshape(-1, 1), mu)
    return states[n_train - 1:T - 1] @ V[0] + c[0]
""")

_MCR = """
def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    H = W.shape[0]
    radius = {radius}
    mc, r2 = np.zeros(len(rhos)), np.zeros((len(rhos), max_delay))
    h0 = np.zeros((1, H))
    for i, rho in enumerate(rhos):
        {scale}
        states = leaky_rnn_forward(x.reshape(1, -1, 1), h0, U, W_rho, b, 1.0)[0]
        {carry}
        mc[i], r2[i] = memory_capacity(x, states, max_delay, mu)
    return {out}
"""
_MCR_OK = dict(radius="np.max(np.abs(np.linalg.eigvals(W)))", scale="W_rho = W * (rho / radius)", carry="",
               out="mc, r2")
mutant(A4, "memory_capacity_by_radius", "by_radius_without_dividing_by_the_radius",
       _v(_MCR, _MCR_OK, scale="W_rho = W * rho"))
mutant(A4, "memory_capacity_by_radius", "by_radius_from_the_largest_real_part",
       _v(_MCR, _MCR_OK, radius="np.max(np.linalg.eigvals(W).real)"))
mutant(A4, "memory_capacity_by_radius", "by_radius_from_the_largest_entry",
       _v(_MCR, _MCR_OK, radius="np.max(np.abs(W))"))
mutant(A4, "memory_capacity_by_radius", "by_radius_rescales_W_in_place",
       _v(_MCR, _MCR_OK, scale="W *= rho / np.max(np.abs(np.linalg.eigvals(W)))\n        W_rho = W"))
mutant(A4, "memory_capacity_by_radius", "by_radius_keeps_the_state_of_the_previous_radius",
       _v(_MCR, _MCR_OK, carry="h0 = states[-1:]"))
mutant(A4, "memory_capacity_by_radius", "by_radius_r2_transposed", _v(_MCR, _MCR_OK, out="mc, r2.T.copy()"))
mutant(A4, "esn_forecast", "forecast_pairs_each_state_with_the_value_it_read", """
def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T, H = x.shape[0], W.shape[0]
    states = leaky_rnn_forward(x.reshape(1, T, 1), np.zeros((1, H)), U, W, b, gamma)[0]
    V, c = ridge_readout(states[washout:n_train], x[washout:n_train].reshape(-1, 1), mu)
    return states[n_train - 1:T - 1] @ V[0] + c[0]
""")
mutant(A4, "esn_forecast", "forecast_trains_on_the_held_out_part", """
def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T, H = x.shape[0], W.shape[0]
    states = leaky_rnn_forward(x.reshape(1, T, 1), np.zeros((1, H)), U, W, b, gamma)[0]
    V, c = ridge_readout(states[washout:T - 1], x[washout + 1:T].reshape(-1, 1), mu)
    return states[n_train - 1:T - 1] @ V[0] + c[0]
""")
mutant(A4, "esn_forecast", "forecast_ignores_gamma", """
def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    T, H = x.shape[0], W.shape[0]
    states = leaky_rnn_forward(x.reshape(1, T, 1), np.zeros((1, H)), U, W, b, 1.0)[0]
    V, c = ridge_readout(states[washout:n_train - 1], x[washout + 1:n_train].reshape(-1, 1), mu)
    return states[n_train - 1:T - 1] @ V[0] + c[0]
""")


# ---------------------------------------------------------------- 05_gated
A5 = "05_gated"
_LSF = """
def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    H = h_prev.shape[1]
    pre = {pre}
    gate_i = {gate_i}
    gate_f = {gate_f}
    gate_omega = {gate_omega}
    candidate = {candidate}
    C_next = {C_next}
    return {h_next}, C_next
"""
_LSF_OK = dict(pre="x @ U.T + h_prev @ W.T + b", gate_i="sigmoid(pre[:, :H])", gate_f="sigmoid(pre[:, H:2 * H])",
               gate_omega="sigmoid(pre[:, 2 * H:3 * H])", candidate="np.tanh(pre[:, 3 * H:])",
               C_next="gate_f * C_prev + gate_i * candidate", h_next="gate_omega * np.tanh(C_next)")
mutant(A5, "lstm_step_forward", "lstm_W_transposed", _v(_LSF, _LSF_OK, pre="x @ U.T + h_prev @ W + b"))
mutant(A5, "lstm_step_forward", "lstm_U_transposed", _v(_LSF, _LSF_OK, pre="x @ U + h_prev @ W.T + b"))
mutant(A5, "lstm_step_forward", "lstm_input_and_forget_gates_swapped",
       _v(_LSF, _LSF_OK, gate_i="sigmoid(pre[:, H:2 * H])", gate_f="sigmoid(pre[:, :H])"))
mutant(A5, "lstm_step_forward", "lstm_torch_gate_order_i_f_g_o",
       _v(_LSF, _LSF_OK, gate_omega="sigmoid(pre[:, 3 * H:])", candidate="np.tanh(pre[:, 2 * H:3 * H])"))
mutant(A5, "lstm_step_forward", "lstm_tanh_on_the_output_gate",
       _v(_LSF, _LSF_OK, gate_omega="np.tanh(pre[:, 2 * H:3 * H])"))
mutant(A5, "lstm_step_forward", "lstm_sigmoid_on_the_candidate", _v(_LSF, _LSF_OK, candidate="sigmoid(pre[:, 3 * H:])"))
mutant(A5, "lstm_step_forward", "lstm_h_without_tanh_of_the_cell", _v(_LSF, _LSF_OK, h_next="gate_omega * C_next"))
mutant(A5, "lstm_step_forward", "lstm_without_bias", _v(_LSF, _LSF_OK, pre="x @ U.T + h_prev @ W.T"))

_GSF = """
def gru_step_forward(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    from_x = x @ U.T + b
    from_h = {from_h}
    gate_r = {gate_r}
    gate_z = {gate_z}
    h_tilde = {h_tilde}
    return {h_next}
"""
_GSF_OK = dict(from_h="h_prev @ W.T", gate_r="sigmoid(from_x[:, :H] + from_h[:, :H])",
               gate_z="sigmoid(from_x[:, H:2 * H] + from_h[:, H:2 * H])",
               h_tilde="np.tanh(from_x[:, 2 * H:] + gate_r * from_h[:, 2 * H:])",
               h_next="(1.0 - gate_z) * h_prev + gate_z * h_tilde")
mutant(A5, "gru_step_forward", "gru_W_transposed", _v(_GSF, _GSF_OK, from_h="h_prev @ W"))
mutant(A5, "gru_step_forward", "gru_update_convention_of_torch_1_minus_z",
       _v(_GSF, _GSF_OK, h_next="gate_z * h_prev + (1.0 - gate_z) * h_tilde"))
mutant(A5, "gru_step_forward", "gru_reset_and_update_gates_swapped",
       _v(_GSF, _GSF_OK, gate_r="sigmoid(from_x[:, H:2 * H] + from_h[:, H:2 * H])",
          gate_z="sigmoid(from_x[:, :H] + from_h[:, :H])"))
mutant(A5, "gru_step_forward", "gru_reset_before_the_product_cho",
       _v(_GSF, _GSF_OK, h_tilde="np.tanh(from_x[:, 2 * H:] + (gate_r * h_prev) @ W[2 * H:].T)"))
mutant(A5, "gru_step_forward", "gru_reset_on_the_whole_pre_activation",
       _v(_GSF, _GSF_OK, h_tilde="np.tanh(gate_r * (from_x[:, 2 * H:] + from_h[:, 2 * H:]))"))
mutant(A5, "gru_step_forward", "gru_without_reset", _v(_GSF, _GSF_OK, h_tilde="np.tanh(from_x[:, 2 * H:] + from_h[:, 2 * H:])"))
mutant(A5, "gru_step_forward", "gru_sigmoid_on_the_candidate",
       _v(_GSF, _GSF_OK, h_tilde="sigmoid(from_x[:, 2 * H:] + gate_r * from_h[:, 2 * H:])"))

_GSB = """
def gru_step_backward(dh_next, x, h_prev, U, W, b):
    H = h_prev.shape[1]
    from_x = x @ U.T + b
    from_h = h_prev @ W.T
    gate_r = sigmoid(from_x[:, :H] + from_h[:, :H])
    gate_z = sigmoid(from_x[:, H:2 * H] + from_h[:, H:2 * H])
    h_tilde = np.tanh(from_x[:, 2 * H:] + gate_r * from_h[:, 2 * H:])
    da_z = {da_z}
    da_h_tilde = {da_h_tilde}
    da_r = {da_r}
    d_from_x = np.concatenate([{gates}, {x_block}], axis=1)
    d_from_h = np.concatenate([{gates}, {h_block}], axis=1)
    dh_prev = {dh_prev}
    return d_from_x @ U, dh_prev, d_from_x.T @ x, {dW}, {db}
"""
_GSB_OK = dict(da_z="dh_next * (h_tilde - h_prev) * gate_z * (1.0 - gate_z)",
               da_h_tilde="dh_next * gate_z * (1.0 - h_tilde ** 2)",
               da_r="da_h_tilde * from_h[:, 2 * H:] * gate_r * (1.0 - gate_r)", x_block="da_h_tilde",
               h_block="gate_r * da_h_tilde", dh_prev="dh_next * (1.0 - gate_z) + d_from_h @ W",
               dW="d_from_h.T @ h_prev", gates="da_r, da_z", db="np.sum(d_from_x, axis=0)")
mutant(A5, "gru_step_backward", "gru_backward_without_the_direct_path", _v(_GSB, _GSB_OK, dh_prev="d_from_h @ W"))
mutant(A5, "gru_step_backward", "gru_backward_direct_path_with_z_not_1_minus_z",
       _v(_GSB, _GSB_OK, dh_prev="dh_next * gate_z + d_from_h @ W"))
mutant(A5, "gru_step_backward", "gru_backward_recurrent_gradient_not_reset", _v(_GSB, _GSB_OK, h_block="da_h_tilde"))
mutant(A5, "gru_step_backward", "gru_backward_input_gradient_reset", _v(_GSB, _GSB_OK, x_block="gate_r * da_h_tilde"))
mutant(A5, "gru_step_backward", "gru_backward_update_gate_without_sigmoid_slope",
       _v(_GSB, _GSB_OK, da_z="dh_next * (h_tilde - h_prev)"))
mutant(A5, "gru_step_backward", "gru_backward_update_gate_sign_flipped",
       _v(_GSB, _GSB_OK, da_z="dh_next * (h_prev - h_tilde) * gate_z * (1.0 - gate_z)"))
mutant(A5, "gru_step_backward", "gru_backward_reset_gate_with_h_prev_not_the_product",
       _v(_GSB, _GSB_OK, da_r="da_h_tilde * h_prev * gate_r * (1.0 - gate_r)"))
mutant(A5, "gru_step_backward", "gru_backward_candidate_slope_missing_a_square",
       _v(_GSB, _GSB_OK, da_h_tilde="dh_next * gate_z * (1.0 - h_tilde)"))
mutant(A5, "gru_step_backward", "gru_backward_dW_transposed", _v(_GSB, _GSB_OK, dW="h_prev.T @ d_from_h"))
mutant(A5, "gru_step_backward", "gru_backward_reset_and_update_blocks_swapped", _v(_GSB, _GSB_OK, gates="da_z, da_r"))
mutant(A5, "gru_step_backward", "gru_backward_db_averaged_over_the_batch",
       _v(_GSB, _GSB_OK, db="np.mean(d_from_x, axis=0)"))
mutant(A5, "gru_step_backward", "gru_backward_update_gate_with_the_candidate_alone",
       _v(_GSB, _GSB_OK, da_z="dh_next * h_tilde * gate_z * (1.0 - gate_z)"))

_PLF = """
def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[1]
    pre = x @ U.T + h_prev @ W.T + b
    gate_i = {gate_i}
    gate_f = {gate_f}
    candidate = np.tanh(pre[:, 3 * H:])
    C_next = gate_f * C_prev + gate_i * candidate
    gate_omega = {gate_omega}
    return gate_omega * np.tanh(C_next), C_next
"""
_PLF_OK = dict(gate_i="sigmoid(pre[:, :H] + pi_i * C_prev)", gate_f="sigmoid(pre[:, H:2 * H] + pi_f * C_prev)",
               gate_omega="sigmoid(pre[:, 2 * H:3 * H] + pi_omega * C_next)")
mutant(A5, "peephole_lstm_step_forward", "peephole_output_gate_sees_the_old_cell",
       _v(_PLF, _PLF_OK, gate_omega="sigmoid(pre[:, 2 * H:3 * H] + pi_omega * C_prev)"))
mutant(A5, "peephole_lstm_step_forward", "peephole_weights_of_input_and_forget_swapped",
       _v(_PLF, _PLF_OK, gate_i="sigmoid(pre[:, :H] + pi_f * C_prev)", gate_f="sigmoid(pre[:, H:2 * H] + pi_i * C_prev)"))
mutant(A5, "peephole_lstm_step_forward", "peephole_without_output_peephole",
       _v(_PLF, _PLF_OK, gate_omega="sigmoid(pre[:, 2 * H:3 * H])"))
mutant(A5, "peephole_lstm_step_forward", "peephole_forget_gate_sees_the_new_cell_input",
       _v(_PLF, _PLF_OK, gate_f="sigmoid(pre[:, H:2 * H] + pi_f * np.tanh(pre[:, 3 * H:]))"))

_PLB = """
def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[1]
    pre = x @ U.T + h_prev @ W.T + b
    gate_i = sigmoid(pre[:, :H] + pi_i * C_prev)
    gate_f = sigmoid(pre[:, H:2 * H] + pi_f * C_prev)
    candidate = np.tanh(pre[:, 3 * H:])
    C_next = gate_f * C_prev + gate_i * candidate
    gate_omega = sigmoid({a_omega})
    tanh_C = np.tanh(C_next)
    da_omega = {da_omega}
    dC = {dC}
    da_i = {da_i}
    da_f = {da_f}
    da_C_tilde = dC * gate_i * (1.0 - candidate ** 2)
    d_pre = np.concatenate([{order}], axis=1)
    dC_prev = {dC_prev}
    d_peepholes = ({dpi_i}, {dpi_f}, {dpi_omega})
    return (d_pre @ U, d_pre @ W, dC_prev, {dU}, {dW}, {db}) + d_peepholes
"""
_PLB_OK = dict(a_omega="pre[:, 2 * H:3 * H] + pi_omega * C_next",
               da_omega="dh_next * tanh_C * gate_omega * (1.0 - gate_omega)",
               dC="dC_next + dh_next * gate_omega * (1.0 - tanh_C ** 2) + da_omega * pi_omega",
               da_i="dC * candidate * gate_i * (1.0 - gate_i)", da_f="dC * C_prev * gate_f * (1.0 - gate_f)",
               order="da_i, da_f, da_omega, da_C_tilde", dC_prev="dC * gate_f + da_i * pi_i + da_f * pi_f",
               dpi_i="np.sum(da_i * C_prev, axis=0)", dpi_f="np.sum(da_f * C_prev, axis=0)",
               dpi_omega="np.sum(da_omega * C_next, axis=0)", dU="d_pre.T @ x", dW="d_pre.T @ h_prev",
               db="np.sum(d_pre, axis=0)")
# the paths the chapter derives for the plain LSTM
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_forgets_dC_next",
       _v(_PLB, _PLB_OK, dC="dh_next * gate_omega * (1.0 - tanh_C ** 2) + da_omega * pi_omega"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dC_prev_without_forget_gate",
       _v(_PLB, _PLB_OK, dC_prev="dC + da_i * pi_i + da_f * pi_f"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_forget_gate_without_sigmoid_slope",
       _v(_PLB, _PLB_OK, da_f="dC * C_prev"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_input_and_forget_blocks_swapped",
       _v(_PLB, _PLB_OK, order="da_f, da_i, da_omega, da_C_tilde"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dW_transposed", _v(_PLB, _PLB_OK, dW="h_prev.T @ d_pre"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dU_averaged_over_the_batch",
       _v(_PLB, _PLB_OK, dU="d_pre.T @ x / x.shape[0]"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_db_of_the_first_example_only",
       _v(_PLB, _PLB_OK, db="d_pre[0]"))
# the paths the peepholes add
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_without_the_output_peephole_path",
       _v(_PLB, _PLB_OK, dC="dC_next + dh_next * gate_omega * (1.0 - tanh_C ** 2)"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_output_peephole_path_into_the_old_cell",
       _v(_PLB, _PLB_OK, dC="dC_next + dh_next * gate_omega * (1.0 - tanh_C ** 2)",
          dC_prev="dC * gate_f + da_i * pi_i + da_f * pi_f + da_omega * pi_omega"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dC_prev_without_the_peephole_paths",
       _v(_PLB, _PLB_OK, dC_prev="dC * gate_f"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dC_prev_with_the_peepholes_swapped",
       _v(_PLB, _PLB_OK, dC_prev="dC * gate_f + da_i * pi_f + da_f * pi_i"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_output_gate_on_the_old_cell",
       _v(_PLB, _PLB_OK, a_omega="pre[:, 2 * H:3 * H] + pi_omega * C_prev"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dpi_omega_with_the_old_cell",
       _v(_PLB, _PLB_OK, dpi_omega="np.sum(da_omega * C_prev, axis=0)"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dpi_i_and_dpi_f_swapped",
       _v(_PLB, _PLB_OK, dpi_i="np.sum(da_f * C_prev, axis=0)", dpi_f="np.sum(da_i * C_prev, axis=0)"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dpi_averaged_over_the_batch",
       _v(_PLB, _PLB_OK, dpi_i="np.mean(da_i * C_prev, axis=0)", dpi_f="np.mean(da_f * C_prev, axis=0)",
          dpi_omega="np.mean(da_omega * C_next, axis=0)"))
mutant(A5, "peephole_lstm_step_backward", "peephole_backward_dpi_not_summed_over_the_batch",
       _v(_PLB, _PLB_OK, dpi_i="da_i * C_prev", dpi_f="da_f * C_prev", dpi_omega="da_omega * C_next"))

_LGN = """
def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    h_norms = np.zeros((N, T))
    C_norms = np.zeros((N, T))
    dh_later = np.zeros((N, H))
    dC_later = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        h_before = h0 if t == 0 else Hs[:, t - 1]
        C_before = C0 if t == 0 else Cs[:, t - 1]
        {dh_total}
        out_gate = sigmoid(X[:, t] @ U[2 * H:3 * H].T + h_before @ W[2 * H:3 * H].T + b[2 * H:3 * H])
        dC_total = {dC_total}
        h_norms[:, t] = np.sqrt(np.sum(dh_total ** 2, axis=1))
        C_norms[:, t] = np.sqrt(np.sum(dC_total ** 2, axis=1))
        zero = np.zeros(H)
        dh_later, dC_later = peephole_lstm_step_backward(dh_total, {dC_given}, X[:, t], h_before, C_before, U, W, b,
                                                         zero, zero, zero)[1:3]
    return h_norms, C_norms
"""
_LGN_OK = dict(dh_total="dh_total = dHs[:, t] + dh_later",
               dC_total="dC_later + dh_total * out_gate * (1.0 - np.tanh(Cs[:, t]) ** 2)", dC_given="dC_later")
mutant(A5, "lstm_gradient_norms_through_time", "cell_norms_hand_the_total_to_the_step_backward",
       _v(_LGN, _LGN_OK, dC_given="dC_total"))
mutant(A5, "lstm_gradient_norms_through_time", "cell_norms_forget_what_later_steps_hand_back",
       _v(_LGN, _LGN_OK, dC_given="np.zeros_like(dC_later)"))
mutant(A5, "lstm_gradient_norms_through_time", "cell_norms_without_the_path_through_h",
       _v(_LGN, _LGN_OK, dC_total="dC_later"))
mutant(A5, "lstm_gradient_norms_through_time", "cell_norms_with_the_tanh_slope_at_the_previous_cell",
       _v(_LGN, _LGN_OK, dC_total="dC_later + dh_total * out_gate * (1.0 - np.tanh(C_before) ** 2)"))
mutant(A5, "lstm_gradient_norms_through_time", "cell_norms_hidden_total_without_later_steps",
       _v(_LGN, _LGN_OK, dh_total="dh_total = dHs[:, t]"))
mutant(A5, "lstm_gradient_norms_through_time", "cell_norms_add_into_dHs_in_place",
       _v(_LGN, _LGN_OK, dh_total="dHs[:, t] += dh_later\n        dh_total = dHs[:, t]"))

_CGD = """
def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, D = X.shape
    H = h0.shape[1]
    Hs, Cs = np.zeros((N, T, H)), np.zeros((N, T, H))
    h_t, C_t = h0, C0
    for t in range(T):
        h_t, C_t = lstm_step_forward(X[:, t], h_t, C_t, U, W, b)
        Hs[:, t], Cs[:, t] = h_t, C_t
    d_last = {d_last}
    d_last[:, -1] = 1.0
    norms = lstm_gradient_norms_through_time(d_last, X, h0, C0, Hs, Cs, U, W, b)[{which}]
    by_lag = {by_lag}
    measured = np.polyfit(np.arange(T), by_lag, 1)[0]
    forget = {forget}
    return float(measured), float({predicted})
"""
_CGD_OK = dict(d_last="np.zeros_like(Hs)", which=1, by_lag="np.mean(np.log(norms[:, ::-1]), axis=0)",
               forget="sigmoid(X[:, 1:] @ U[H:2 * H].T + Hs[:, :-1] @ W[H:2 * H].T + b[H:2 * H])",
               predicted="np.mean(np.log(forget))")
mutant(A5, "cell_gradient_decay_rate", "decay_fitted_against_t_not_the_lag",
       _v(_CGD, _CGD_OK, by_lag="np.mean(np.log(norms), axis=0)"))
mutant(A5, "cell_gradient_decay_rate", "decay_log_of_the_mean_norm",
       _v(_CGD, _CGD_OK, by_lag="np.log(np.mean(norms[:, ::-1], axis=0))"))
mutant(A5, "cell_gradient_decay_rate", "decay_of_the_hidden_state_norms", _v(_CGD, _CGD_OK, which=0))
mutant(A5, "cell_gradient_decay_rate", "decay_with_a_gradient_on_every_state", _v(_CGD, _CGD_OK, d_last="np.ones_like(Hs)"))
mutant(A5, "cell_gradient_decay_rate", "decay_predicted_with_the_first_steps_gate",
       _v(_CGD, _CGD_OK, forget="sigmoid(X @ U[H:2 * H].T + np.concatenate([h0[:, None], Hs[:, :-1]], axis=1) @ "
                                "W[H:2 * H].T + b[H:2 * H])"))
mutant(A5, "cell_gradient_decay_rate", "decay_predicted_as_the_log_of_the_mean_gate",
       _v(_CGD, _CGD_OK, predicted="np.log(np.mean(forget))"))


# ---------------------------------------------------------------- 06_seq2seq
A6 = "06_seq2seq"
_BIRNN = """
def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    def run(inputs, h, p):
        states = []
        for t in range(inputs.shape[1]):
            h = np.tanh(inputs[:, t] @ p["U"].T + h @ {W} + p["b"])
            states.append(h)
        return np.stack(states, axis=1)

    forward_states = run(X, h0_fwd, fwd)
    backward_states = {backward}
    return np.concatenate([forward_states, backward_states], axis=2)
"""
_BIRNN_OK = dict(W='p["W"].T', backward="run(X[:, ::-1], h0_bwd, bwd)[:, ::-1]")
mutant(A6, "birnn_forward", "birnn_forgets_to_reverse_back",
       _v(_BIRNN, _BIRNN_OK, backward="run(X[:, ::-1], h0_bwd, bwd)"))
mutant(A6, "birnn_forward", "birnn_backward_direction_reads_forwards", _v(_BIRNN, _BIRNN_OK, backward="run(X, h0_bwd, bwd)"))
mutant(A6, "birnn_forward", "birnn_backward_direction_with_forward_parameters",
       _v(_BIRNN, _BIRNN_OK, backward="run(X[:, ::-1], h0_bwd, fwd)[:, ::-1]"))
mutant(A6, "birnn_forward", "birnn_backward_direction_from_h0_fwd",
       _v(_BIRNN, _BIRNN_OK, backward="run(X[:, ::-1], h0_fwd, bwd)[:, ::-1]"))
mutant(A6, "birnn_forward", "birnn_W_transposed", _v(_BIRNN, _BIRNN_OK, W='p["W"]'))
_ENC = """
def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N = X.shape[0]
    if "fwd" in enc:
        H = enc["fwd"]["W"].shape[0]
        zeros = np.zeros((N, H))
        Hs_enc = birnn_forward(X, zeros, zeros, enc["fwd"], enc["bwd"], cell)
        return Hs_enc, {m}
    h, states = np.zeros((N, enc["W"].shape[0])), []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ enc["U"].T + h @ enc["W"].T + enc["b"])
        states.append(h)
    Hs_enc = np.stack(states, axis=1)
    return Hs_enc, {m_uni}
"""
_ENC_OK = dict(m="np.concatenate([Hs_enc[:, -1, :H], Hs_enc[:, 0, H:]], axis=1)", m_uni="Hs_enc[:, -1].copy()")
mutant(A6, "seq2seq_encoder_forward", "context_from_the_last_position_only", _v(_ENC, _ENC_OK, m="Hs_enc[:, -1].copy()"))
mutant(A6, "seq2seq_encoder_forward", "context_from_the_first_position_only", _v(_ENC, _ENC_OK, m="Hs_enc[:, 0].copy()"))
mutant(A6, "seq2seq_encoder_forward", "unidirectional_context_is_the_first_state",
       _v(_ENC, _ENC_OK, m_uni="Hs_enc[:, 0].copy()"))
_S2S = """
def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    K = dec["V"].shape[0]
    inputs = np.eye(K)[{tokens}]
    h = {h0}
    logits = []
    for t in range(Y_in.shape[1]):
        h = np.tanh(inputs[:, t] @ dec["U"].T + h @ dec["W"].T + dec["b"])
        logits.append({logits})
    return np.stack(logits, axis=1)
"""
_S2S_OK = dict(tokens="Y_in", h0="m", logits='h @ dec["V"].T + dec["c"]')
mutant(A6, "seq2seq_forward", "decoder_starts_from_zeros", _v(_S2S, _S2S_OK, h0="np.zeros_like(m)"))
mutant(A6, "seq2seq_forward", "decoder_without_output_bias", _v(_S2S, _S2S_OK, logits='h @ dec["V"].T'))
mutant(A6, "seq2seq_forward", "decoder_reads_the_next_token",
       _v(_S2S, _S2S_OK, tokens="np.concatenate([Y_in[:, 1:], Y_in[:, :1]], axis=1)"))
_GREEDY = """
def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    K = dec["V"].shape[0]
    if pad is None:
        pad = eos
    h = m
    previous = np.full(X.shape[0], bos)
    finished = np.zeros(X.shape[0], dtype=bool)
    columns = []
    for _ in range(max_len):
        h = np.tanh(np.eye(K)[previous] @ dec["U"].T + h @ dec["W"].T + dec["b"])
        choice = np.argmax(h @ dec["V"].T + dec["c"], axis=1)
        columns.append({column})
        finished = finished | (choice == eos)
        previous = {previous}
        {stop}
    return np.stack(columns, axis=1)
"""
_GREEDY_OK = dict(column="np.where(finished, pad, choice)", previous="choice",
                  stop="if finished.all():\n            break")
mutant(A6, "greedy_decode", "greedy_never_stops_early", _v(_GREEDY, _GREEDY_OK, stop="pass"))
mutant(A6, "greedy_decode", "greedy_ignores_pad", _v(_GREEDY, _GREEDY_OK, column="choice"))
mutant(A6, "greedy_decode", "greedy_always_reads_bos", _v(_GREEDY, _GREEDY_OK, previous="np.full(X.shape[0], bos)"))
mutant(A6, "greedy_decode", "greedy_returns_floats", _v(_GREEDY, _GREEDY_OK, column="np.where(finished, pad, choice) * 1.0"))
_ACC = """
def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    N, T_y = Y.shape
    tokens = greedy_decode(X, enc, dec, bos, eos, T_y, cell)
    right = np.zeros((N, T_y), dtype=bool)
    for n in range(N):
        for t in range(tokens.shape[1]):
            {stop}
            right[n, t] = tokens[n, t] == Y[n, t]
    Y_in = {Y_in}
    forced = np.argmax(seq2seq_forward(X, Y_in, enc, dec, cell), axis=2) == Y
    return float(np.mean(np.all(right, axis=1))), float(np.mean(right)), float(np.mean(forced))
"""
_ACC_OK = dict(stop="if t > 0 and eos in tokens[n, :t]:\n                break",
               Y_in="np.concatenate([np.full((N, 1), bos), Y[:, :-1]], axis=1)")
mutant(A6, "decoding_accuracy", "accuracy_counts_positions_after_eos", _v(_ACC, _ACC_OK, stop="pass"))
mutant(A6, "decoding_accuracy", "accuracy_forces_the_targets_unshifted", _v(_ACC, _ACC_OK, Y_in="Y"))

# ---------------------------------------------------------------- 07_attention
A7 = "07_attention"
_ADD = """
def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    single = queries.ndim == 2
    Q = queries[:, None, :] if single else queries
    projected_queries = Q @ {W_a}
    projected_keys = keys @ U_a.T
    hidden = {hidden}
    E = hidden @ V_a[0]
    return {E}
"""
_ADD_OK = dict(W_a="W_a.T", hidden="np.tanh(projected_queries[:, :, None, :] + projected_keys[:, None, :, :])",
               E="E[:, 0] if single else E")
mutant(A7, "additive_attention_forward", "additive_without_tanh",
       _v(_ADD, _ADD_OK, hidden="projected_queries[:, :, None, :] + projected_keys[:, None, :, :]"))
mutant(A7, "additive_attention_forward", "additive_scores_transposed",
       _v(_ADD, _ADD_OK, E="np.swapaxes(E, 1, 2)[:, :, 0] if single else np.swapaxes(E, 1, 2)"))
mutant(A7, "additive_attention_forward", "additive_W_a_transposed", _v(_ADD, _ADD_OK, W_a="W_a.T[::-1]"))
_SM = """
def attention_weights(E, mask=None):
    if mask is not None:
        {masking}
    shifted = E - np.max(E, axis={axis}, keepdims=True)
    e = np.exp({exponent})
    return e / np.sum(e, axis={axis}, keepdims=True)
"""
_SM_OK = dict(masking="keep = mask if E.ndim == 2 else mask[:, None, :]\n        E = np.where(keep, E, -np.inf)",
              axis="-1", exponent="shifted")
mutant(A7, "attention_weights", "softmax_over_the_target_steps", _v(_SM, _SM_OK, axis="1"))
mutant(A7, "attention_weights", "softmax_over_the_batch", _v(_SM, _SM_OK, axis="0"))
mutant(A7, "attention_weights", "softmax_ignores_the_mask", _v(_SM, _SM_OK, masking="pass"))
mutant(A7, "attention_weights", "softmax_masks_with_zero_scores",
       _v(_SM, _SM_OK, masking="keep = mask if E.ndim == 2 else mask[:, None, :]\n        E = np.where(keep, E, 0.0)"))
mutant(A7, "attention_weights", "softmax_without_the_shift", _v(_SM, _SM_OK, exponent="E"))
_DPA = """
def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    single = queries.ndim == 2
    Q = queries[:, None, :] if single else queries
    E = Q @ np.swapaxes(keys, 1, 2)
    if scaled:
        E = E / {scale}
    alpha = {alpha}
    Ms = {Ms}
    return (Ms[:, 0], alpha[:, 0]) if single else (Ms, alpha)
"""
_DPA_OK = dict(scale="np.sqrt(Q.shape[-1])", alpha="attention_weights(E, mask)", Ms="alpha @ values")
mutant(A7, "dot_product_attention", "dot_attention_forgets_the_scale", _v(_DPA, _DPA_OK, scale="1.0"))
mutant(A7, "dot_product_attention", "dot_attention_scales_by_H_a", _v(_DPA, _DPA_OK, scale="Q.shape[-1]"))
mutant(A7, "dot_product_attention", "dot_attention_scales_by_T_x", _v(_DPA, _DPA_OK, scale="np.sqrt(keys.shape[1])"))
mutant(A7, "dot_product_attention", "dot_attention_drops_the_mask", _v(_DPA, _DPA_OK, alpha="attention_weights(E)"))
mutant(A7, "dot_product_attention", "dot_attention_unweighted_mean_of_the_values",
       _v(_DPA, _DPA_OK, Ms="np.repeat(values.mean(axis=1, keepdims=True), alpha.shape[1], axis=1)"))
_PAB = """
def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    queries, keys, values = Hs_dec @ W_q.T, Hs_enc @ U_k.T, Hs_enc @ U_v.T
    scale = {scale}
    _, alpha = {alpha}
    dalpha = dMs @ np.swapaxes(values, 1, 2)
    dvalues = {dvalues}
    dE = {dE}
    dqueries = scale * (dE @ keys)
    dkeys = scale * (np.swapaxes(dE, 1, 2) @ queries)
    dW_q = {dW_q}
    dU_k = np.einsum("nja,nje->ae", dkeys, Hs_enc)
    dU_v = np.einsum("njv,nje->ve", dvalues, Hs_enc)
    dHs_dec = dqueries @ W_q
    dHs_enc = {dHs_enc}
    return dW_q, dU_k, dU_v, dHs_dec, dHs_enc
"""
_PAB_OK = dict(scale="1.0 / np.sqrt(W_q.shape[0]) if scaled else 1.0",
               alpha="dot_product_attention(queries, keys, values, scaled, mask)",
               dvalues="np.swapaxes(alpha, 1, 2) @ dMs",
               dE="alpha * (dalpha - np.sum(alpha * dalpha, axis=-1, keepdims=True))",
               dW_q='np.einsum("nta,nth->ah", dqueries, Hs_dec)', dHs_enc="dkeys @ U_k + dvalues @ U_v")
mutant(A7, "projected_attention_backward", "projected_backward_forgets_the_scale", _v(_PAB, _PAB_OK, scale="1.0"))
mutant(A7, "projected_attention_backward", "projected_backward_scales_by_H_a",
       _v(_PAB, _PAB_OK, scale="1.0 / W_q.shape[0] if scaled else 1.0"))
mutant(A7, "projected_attention_backward", "projected_backward_forgets_the_key_path",
       _v(_PAB, _PAB_OK, dHs_enc="dvalues @ U_v"))
mutant(A7, "projected_attention_backward", "projected_backward_forgets_the_value_path",
       _v(_PAB, _PAB_OK, dHs_enc="dkeys @ U_k"))
mutant(A7, "projected_attention_backward", "projected_backward_dW_q_transposed",
       _v(_PAB, _PAB_OK, dW_q='np.einsum("nta,nth->ha", dqueries, Hs_dec)'))
mutant(A7, "projected_attention_backward", "projected_backward_ignores_the_mask",
       _v(_PAB, _PAB_OK, alpha="dot_product_attention(queries, keys, values, scaled)"))
mutant(A7, "projected_attention_backward", "projected_backward_softmax_without_the_subtraction",
       _v(_PAB, _PAB_OK, dE="alpha * dalpha"))
mutant(A7, "projected_attention_backward", "projected_backward_dvalues_of_the_first_step_only",
       _v(_PAB, _PAB_OK, dvalues="alpha[:, 0, :, None] * dMs[:, 0, None, :]"))
_STEP = """
def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    E = additive_attention_forward({query}, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    alpha = attention_weights(E, {mask})
    m = np.einsum("nj,njh->nh", alpha, Hs_enc)
    h_next = np.tanh(dec["b"] + h_prev @ dec["W"].T + x @ dec["U"].T{context})
    return h_next, m, alpha
"""
_STEP_OK = dict(query="h_prev", mask="mask", context=' + m @ dec["U_m"].T')
mutant(A7, "attention_decoder_step_forward", "step_without_the_context", _v(_STEP, _STEP_OK, context=""))
mutant(A7, "attention_decoder_step_forward", "step_drops_the_mask", _v(_STEP, _STEP_OK, mask="None"))
mutant(A7, "attention_decoder_step_forward", "step_query_is_zero", _v(_STEP, _STEP_OK, query="np.zeros_like(h_prev)"))
_ALIGN = """
def reversal_alignment(Hs_enc, Y_in, dec, cell="rnn"):
    K = dec["U"].shape[1]
    N, T_x, _ = Hs_enc.shape
    h = np.zeros((N, dec["W"].shape[1]))
    steps = []
    for t in range(Y_in.shape[1]):
        h_new, _, weights = attention_decoder_step_forward(np.eye(K)[Y_in[:, t]], h, Hs_enc, dec, cell)
        {carry}
        steps.append(weights)
    alpha = np.stack(steps, axis=1)
    written = {written}
    mass = np.array([np.mean(alpha[:, t, written[t]]) for t in range(T_x)])
    hits = np.argmax(alpha[:, :T_x], axis=2) == written
    return alpha, mass, float(np.mean(hits))
"""
_ALIGN_OK = dict(carry="h = h_new", written="T_x - 1 - np.arange(T_x)")
mutant(A7, "reversal_alignment", "alignment_state_not_carried", _v(_ALIGN, _ALIGN_OK, carry="pass"))
mutant(A7, "reversal_alignment", "alignment_expects_the_identity", _v(_ALIGN, _ALIGN_OK, written="np.arange(T_x)"))
mutant(A7, "reversal_alignment", "alignment_off_by_one", _v(_ALIGN, _ALIGN_OK, written="(T_x - np.arange(T_x)) % T_x"))


# ---------------------------------------------------------------- 08_ntm
A8 = "08_ntm"
_CA = """
def content_addressing(memory, q, beta):
    dots = {dots}
    norm_slots = {norm_slots}
    norm_q = np.sqrt(np.sum(q ** 2, axis=1) + 1e-16)
    scores = beta[:, None] * dots / (norm_slots * norm_q[:, None])
    {shift}
    e = np.exp(scores)
    return e / np.sum(e, {axis}keepdims=True)
"""
_CA_OK = dict(dots="np.sum(memory * q[:, None, :], axis=2)", norm_slots="np.sqrt(np.sum(memory ** 2, axis=2) + 1e-16)",
              shift="scores = scores - np.max(scores, axis=1, keepdims=True)", axis="axis=1, ")
mutant(A8, "content_addressing", "content_softmax_without_max_shift", _v(_CA, _CA_OK, shift="pass"))
mutant(A8, "content_addressing", "content_softmax_over_the_batch",
       _v(_CA, _CA_OK, shift="scores = scores - np.max(scores, axis=0, keepdims=True)", axis="axis=0, "))
mutant(A8, "content_addressing", "content_dot_product_not_cosine", """
def content_addressing(memory, q, beta):
    scores = beta[:, None] * np.sum(memory * q[:, None, :], axis=2)
    scores = scores - np.max(scores, axis=1, keepdims=True)
    e = np.exp(scores)
    return e / np.sum(e, axis=1, keepdims=True)
""")
mutant(A8, "content_addressing", "content_norms_without_guard",
       _v(_CA, _CA_OK, norm_slots="np.sqrt(np.sum(memory ** 2, axis=2))"))
mutant(A8, "content_addressing", "content_norm_over_the_slots",
       _v(_CA, _CA_OK, norm_slots="np.sqrt(np.sum(memory ** 2, axis=1, keepdims=True) + 1e-16)[:, :, 0]"))
mutant(A8, "interpolate_weights", "interpolation_gate_swapped", """
def interpolate_weights(w_c, w_prev, zeta):
    return zeta[:, None] * w_prev + (1.0 - zeta[:, None]) * w_c
""")
mutant(A8, "interpolate_weights", "interpolation_gate_along_the_slots", """
def interpolate_weights(w_c, w_prev, zeta):
    return zeta * w_c + (1.0 - zeta) * w_prev
""")
mutant(A8, "circular_shift", "shift_in_the_opposite_direction", """
def circular_shift(w_g, s):
    return sum(s[:, k, None] * np.roll(w_g, -k, axis=1) for k in range(w_g.shape[1]))
""")
mutant(A8, "circular_shift", "shift_without_wrapping_around", """
def circular_shift(w_g, s):
    N, S = w_g.shape
    out = np.zeros_like(w_g)
    for i in range(S):
        for j in range(i + 1):
            out[:, i] += w_g[:, j] * s[:, i - j]
    return out
""")
mutant(A8, "circular_shift", "shift_with_the_first_example_s", """
def circular_shift(w_g, s):
    return sum(s[0, k] * np.roll(w_g, k, axis=1) for k in range(w_g.shape[1]))
""")
mutant(A8, "sharpen", "sharpen_takes_the_log_of_zero", """
def sharpen(w_tilde, xi):
    logits = xi[:, None] * np.log(w_tilde)  # right values (exp(-inf) = 0), but log(0) warns
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
""")
mutant(A8, "sharpen", "sharpen_by_the_literal_power", """
def sharpen(w_tilde, xi):
    powered = w_tilde ** xi[:, None]
    return powered / np.sum(powered, axis=1, keepdims=True)
""")
mutant(A8, "sharpen", "sharpen_without_renormalising", """
def sharpen(w_tilde, xi):
    return w_tilde ** xi[:, None]
""")
mutant(A8, "sharpen", "sharpen_exponent_along_the_slots", """
def sharpen(w_tilde, xi):
    logits = np.log(np.maximum(w_tilde, 1e-300)) * xi
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
""")
_SB = """
def sharpen_backward(dw, w_tilde, xi):
    positive = w_tilde > 0
    logs = np.log(np.where(positive, w_tilde, 1.0))
    logits = np.where(positive, xi[:, None] * logs, -np.inf)
    top = np.max(logits, axis=1, keepdims=True)
    log_total = top + np.log(np.sum(np.exp(logits - top), axis=1, keepdims=True))
    w = np.exp(logits - log_total)
    g = {g}
    dxi = {dxi}
    at_zero = {at_zero}
    ratio = {ratio}
    return {dw_tilde}, dxi
"""
_SB_OK = dict(g="dw - np.sum(w * dw, axis=1, keepdims=True)", dxi="np.sum(w * g * logs, axis=1)",
              at_zero="np.where(xi[:, None] == 1.0, 0.0, -np.inf)",
              ratio="np.exp(np.where(positive, (xi[:, None] - 1.0) * logs, at_zero) - log_total)",
              dw_tilde="xi[:, None] * g * ratio")
mutant(A8, "sharpen_backward", "sharpen_backward_without_the_softmax_term", _v(_SB, _SB_OK, g="dw"))
mutant(A8, "sharpen_backward", "sharpen_backward_softmax_term_summed_over_the_batch",
       _v(_SB, _SB_OK, g="dw - np.sum(w * dw, axis=0, keepdims=True)"))
mutant(A8, "sharpen_backward", "sharpen_backward_dxi_without_the_log", _v(_SB, _SB_OK, dxi="np.sum(w * g, axis=1)"))
mutant(A8, "sharpen_backward", "sharpen_backward_dxi_with_the_log_of_the_sharpened_weights",
       _v(_SB, _SB_OK, dxi="np.sum(w * g * np.log(np.where(positive, w, 1.0)), axis=1)"))
mutant(A8, "sharpen_backward", "sharpen_backward_dxi_summed_over_the_batch",
       _v(_SB, _SB_OK, dxi="np.sum(w * g * logs, axis=0)"))
mutant(A8, "sharpen_backward", "sharpen_backward_dxi_with_log_zero",
       _v(_SB, _SB_OK, dxi="np.sum(w * g * np.log(w_tilde), axis=1)"))
mutant(A8, "sharpen_backward", "sharpen_backward_without_the_factor_xi", _v(_SB, _SB_OK, dw_tilde="g * ratio"))
mutant(A8, "sharpen_backward", "sharpen_backward_divides_the_sharpened_weight_by_nothing",
       _v(_SB, _SB_OK, ratio="w"))
mutant(A8, "sharpen_backward", "sharpen_backward_zero_weights_get_nothing_at_xi_1",
       _v(_SB, _SB_OK, at_zero="np.full_like(w_tilde, -np.inf)"))
mutant(A8, "sharpen_backward", "sharpen_backward_by_the_literal_power", """
def sharpen_backward(dw, w_tilde, xi):
    powered = w_tilde ** xi[:, None]
    w = powered / np.sum(powered, axis=1, keepdims=True)
    g = dw - np.sum(w * dw, axis=1, keepdims=True)
    logs = np.log(np.where(w_tilde > 0, w_tilde, 1.0))
    return xi[:, None] * g * w / np.where(w_tilde > 0, w_tilde, 1.0), np.sum(w * g * logs, axis=1)
""")
mutant(A8, "sharpen_backward", "sharpen_backward_forgets_the_chain_through_the_log",
       _v(_SB, _SB_OK, ratio="np.ones_like(w_tilde)"))
_MS = """
def memory_step(memory, w_write, u, v, w_read):
    weights = w_write[:, :, None]
    {write}
    return memory_new, {read}
"""
_MS_OK = dict(write="memory_new = memory * (1.0 - weights * u[:, None, :]) + weights * v[:, None, :]",
              read='np.einsum("ns,nsm->nm", w_read, memory_new)')
mutant(A8, "memory_step", "step_adds_then_erases",
       _v(_MS, _MS_OK, write="memory_new = (memory + weights * v[:, None, :]) * (1.0 - weights * u[:, None, :])"))
mutant(A8, "memory_step", "step_erases_without_the_weighting",
       _v(_MS, _MS_OK, write="memory_new = memory * (1.0 - u[:, None, :]) + weights * v[:, None, :]"))
mutant(A8, "memory_step", "step_writes_in_place",
       _v(_MS, _MS_OK, write="memory *= 1.0 - weights * u[:, None, :]\n    memory += weights * v[:, None, :]\n"
                             "    memory_new = memory"))
mutant(A8, "memory_step", "step_reads_the_old_memory", _v(_MS, _MS_OK, read='np.einsum("ns,nsm->nm", w_read, memory)'))
mutant(A8, "memory_step", "step_reads_with_the_write_weighting",
       _v(_MS, _MS_OK, read='np.einsum("ns,nsm->nm", w_write, memory_new)'))
mutant(A8, "memory_step", "step_read_sums_over_the_entries",
       _v(_MS, _MS_OK, read='np.einsum("ns,nsm->ns", w_read, memory_new)[:, :memory.shape[2]]'))
_AH = """
def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    running = np.cumsum(p_tilde, axis=1)
    reached = running >= {threshold}
    nu = np.where(reached.any(axis=1), np.argmax(reached, axis=1) + 1, nu_max){cast}
    p = np.zeros_like(p_tilde)
    R = np.zeros(N, dtype=p_tilde.dtype)
    for n in range(N):
        steps = int(nu[n])
        p[n, :steps - 1] = p_tilde[n, :steps - 1]
        R[n] = 1.0 - np.sum(p_tilde[n, :{upto}])
        p[n, steps - 1] = R[n]
    return p, nu, R
"""
_AH_OK = dict(threshold="1.0 - iota", cast="", upto="steps - 1")
mutant(A8, "act_halting_distribution", "halting_ignores_the_margin", _v(_AH, _AH_OK, threshold="1.0"))
mutant(A8, "act_halting_distribution", "halting_remainder_includes_step_nu", _v(_AH, _AH_OK, upto="steps"))
mutant(A8, "act_halting_distribution", "halting_steps_as_floats", _v(_AH, _AH_OK, cast=".astype(float)"))
mutant(A8, "act_halting_distribution", "halting_steps_counted_from_zero", """
def act_halting_distribution(p_tilde, iota=0.01):
    N, nu_max = p_tilde.shape
    reached = np.cumsum(p_tilde, axis=1) >= 1.0 - iota
    last = np.where(reached.any(axis=1), np.argmax(reached, axis=1), nu_max - 1)
    p = np.where(np.arange(nu_max)[None, :] < last[:, None], p_tilde, 0.0)
    R = 1.0 - p.sum(axis=1)
    p[np.arange(N), last] = R
    return p, last, R
""")

# ---------------------------------------------------------------- 09_char_lm
A9 = "09_char_lm"
_TS = """
def temperature_softmax(o, temperature):
    if temperature == 0:
        top = (o == np.max(o, axis={axis}, keepdims=True)).astype(o.dtype)
        return {greedy}
    scaled = {scaled}
    {shift}
    weights = np.exp(scaled)
    return weights / np.sum(weights, axis={axis}, keepdims=True)
"""
_TS_OK = dict(axis="-1", greedy="top / np.sum(top, axis=-1, keepdims=True)", scaled="o / temperature",
              shift="scaled = scaled - np.max(scaled, axis=-1, keepdims=True)")
mutant(A9, "temperature_softmax", "temperature_multiplies_the_logits", _v(_TS, _TS_OK, scaled="o * temperature"))
mutant(A9, "temperature_softmax", "temperature_softmax_without_max_shift", _v(_TS, _TS_OK, shift="pass"))
mutant(A9, "temperature_softmax", "temperature_softmax_over_the_first_axis",
       _v(_TS, _TS_OK, axis="0", shift="scaled = scaled - np.max(scaled, axis=0, keepdims=True)",
          greedy="top / np.sum(top, axis=0, keepdims=True)"))
mutant(A9, "temperature_softmax", "temperature_zero_gives_one_hot_without_sharing_ties",
       _v(_TS, _TS_OK, greedy="np.eye(o.shape[-1])[np.argmax(o, axis=-1)]"))
mutant(A9, "temperature_softmax", "temperature_zero_not_handled", """
def temperature_softmax(o, temperature):
    with np.errstate(all="ignore"):
        scaled = o / temperature
        scaled = scaled - np.max(scaled, axis=-1, keepdims=True)
        weights = np.exp(scaled)
        return weights / np.sum(weights, axis=-1, keepdims=True)
""")
mutant(A9, "temperature_softmax", "temperature_softmax_over_the_last_two_axes", """
def temperature_softmax(o, temperature):
    if temperature == 0:
        top = (o == np.max(o, axis=-1, keepdims=True)).astype(o.dtype)
        return top / np.sum(top, axis=-1, keepdims=True)
    scaled = o / temperature
    scaled = scaled - np.max(scaled, axis=-1, keepdims=True)
    weights = np.exp(scaled)
    if weights.ndim == 3:
        return weights / np.sum(weights, axis=(1, 2), keepdims=True)
    return weights / np.sum(weights, axis=-1, keepdims=True)
""")
_SI = """
def sample_index(p, upsilon):
    cumulative = np.cumsum(p, axis={axis})
    {normalise}
    return np.sum(cumulative {op} upsilon[:, None], axis=1).astype(np.int64)
"""
_SI_OK = dict(axis="1", normalise="cumulative = cumulative / cumulative[:, -1:]", op="<=")
mutant(A9, "sample_index", "draw_with_strict_comparison", _v(_SI, _SI_OK, op="<"))
mutant(A9, "sample_index", "draw_without_normalising", _v(_SI, _SI_OK, normalise="pass"))
mutant(A9, "sample_index", "draw_the_most_likely_class", """
def sample_index(p, upsilon):
    return np.argmax(p, axis=1)
""")
mutant(A9, "sample_index", "draw_by_scaling_u_to_a_class", """
def sample_index(p, upsilon):
    return (upsilon * p.shape[1]).astype(np.int64)
""")
mutant(A9, "sample_index", "draw_with_one_minus_u", _v(_SI, _SI_OK, op="<= 1 - "))
mutant(A9, "sample_index", "draw_as_floats", """
def sample_index(p, upsilon):
    cumulative = np.cumsum(p, axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    return np.sum(cumulative <= upsilon[:, None], axis=1).astype(float)
""")
_SS = """
def sample_sequence(step, state, x, upsilon, temperature):
    N, n = upsilon.shape
    drawn = np.zeros((N, n), dtype=np.int64)
    current = x
    for t in range(n):
        logits, {new_state} = step(current, state)
        probs = temperature_softmax(logits, {tau})
        {draw}
        drawn[:, t] = {record}
    return drawn
"""
_SS_OK = dict(new_state="state", tau="temperature", draw="current = sample_index(probs, upsilon[:, t])", record="current")
mutant(A9, "sample_sequence", "sequence_without_feeding_back",
       _v(_SS, _SS_OK, draw="drawn_now = sample_index(probs, upsilon[:, t])", record="drawn_now"))
mutant(A9, "sample_sequence", "sequence_keeps_the_first_state", _v(_SS, _SS_OK, new_state="_unused"))
mutant(A9, "sample_sequence", "sequence_ignores_the_temperature", _v(_SS, _SS_OK, tau="1.0"))
mutant(A9, "sample_sequence", "sequence_uses_the_first_uniform_number_every_step",
       _v(_SS, _SS_OK, draw="current = sample_index(probs, upsilon[:, 0])"))
mutant(A9, "sample_sequence", "sequence_greedy_instead_of_sampling",
       _v(_SS, _SS_OK, draw="current = np.argmax(probs, axis=1)"))
mutant(A9, "sample_sequence", "sequence_records_the_input_not_the_draw", """
def sample_sequence(step, state, x, upsilon, temperature):
    N, n = upsilon.shape
    drawn = np.zeros((N, n), dtype=np.int64)
    current = x
    for t in range(n):
        drawn[:, t] = current
        logits, state = step(current, state)
        current = sample_index(temperature_softmax(logits, temperature), upsilon[:, t])
    return drawn
""")
_PP = """
def perplexity(O, Y):
    N, T, K = O.shape
    shifted = O - np.max(O, axis=2, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=2, keepdims=True))
    picked = np.take_along_axis(log_probs, Y[:, :, None], axis=2)
    return {result}
"""
_PP_OK = dict(result="float(np.exp(-np.mean(picked)))")
mutant(A9, "perplexity", "perplexity_of_the_summed_loss", _v(_PP, _PP_OK, result="float(np.exp(-np.sum(picked) / N))"))
mutant(A9, "perplexity", "perplexity_in_base_two", _v(_PP, _PP_OK, result="float(2 ** (-np.mean(picked)))"))
mutant(A9, "perplexity", "perplexity_returns_the_cross_entropy", _v(_PP, _PP_OK, result="float(-np.mean(picked))"))
mutant(A9, "perplexity", "perplexity_as_the_mean_of_the_inverse_probabilities",
       _v(_PP, _PP_OK, result="float(np.mean(np.exp(-picked)))"))
mutant(A9, "perplexity", "perplexity_without_max_shift", """
def perplexity(O, Y):
    with np.errstate(all="ignore"):
        e = np.exp(O)
        p = np.take_along_axis(e / np.sum(e, axis=2, keepdims=True), Y[:, :, None], axis=2)
        return float(np.exp(-np.mean(np.log(p))))
""")
mutant(A9, "perplexity", "perplexity_of_the_most_likely_class", """
def perplexity(O, Y):
    shifted = O - np.max(O, axis=2, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=2, keepdims=True))
    return float(np.exp(-np.mean(np.max(log_probs, axis=2))))
""")
_TB = """
def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    N, T = inputs.shape
    K = params["V"].shape[0]
    h0, C0 = state
    X = np.eye(K)[inputs]
    Hs, Cs, lstm_backward = lstm(params, X, {start})
    O = Hs @ params["V"].T + params["c"]
    shifted = O - np.max(O, axis=2, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=2, keepdims=True))
    rows, steps = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    loss = float(-np.mean(log_probs[rows, steps, targets]))
    dO = np.exp(log_probs)
    dO[rows, steps, targets] -= 1.0
    dO /= {denominator}
    grads = dict(lstm_backward(dO @ params["V"]))
    grads["V"] = {dV}
    grads["c"] = dO.sum(axis=(0, 1))
    {clip}
    new_params = {{name: {update} for name in params}}
    return new_params, loss, {last}
"""
_TB_OK = dict(start="h0, C0", denominator="N * T", dV='np.einsum("ntk,nth->kh", dO, Hs)',
              clip="norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))\n"
                   "    scale = max_norm / norm if norm > max_norm else 1.0",
              update="params[name] - lr * scale * grads[name]", last="(Hs[:, -1], Cs[:, -1])")
mutant(A9, "tbptt_step", "tbptt_starts_from_zeros", _v(_TB, _TB_OK, start="np.zeros_like(h0), np.zeros_like(C0)"))
mutant(A9, "tbptt_step", "tbptt_gradient_divided_by_n_only", _v(_TB, _TB_OK, denominator="N"))
mutant(A9, "tbptt_step", "tbptt_transposed_dV", _v(_TB, _TB_OK, dV='np.einsum("ntk,nth->hk", dO, Hs)'))
mutant(A9, "tbptt_step", "tbptt_clips_each_gradient_on_its_own", _v(_TB, _TB_OK,
       clip="grads = {k: g * min(1.0, max_norm / np.sqrt(np.sum(g ** 2))) for k, g in grads.items()}\n    scale = 1.0"))
mutant(A9, "tbptt_step", "tbptt_always_rescales_to_g_max", _v(_TB, _TB_OK,
       clip="norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))\n    scale = max_norm / norm"))
mutant(A9, "tbptt_step", "tbptt_steps_uphill", _v(_TB, _TB_OK, update="params[name] + lr * scale * grads[name]"))
mutant(A9, "tbptt_step", "tbptt_returns_the_first_state", _v(_TB, _TB_OK, last="(Hs[:, 0], Cs[:, 0])"))
mutant(A9, "tbptt_step", "tbptt_returns_the_state_it_was_given", _v(_TB, _TB_OK, last="state"))
mutant(A9, "tbptt_step", "tbptt_updates_the_callers_arrays", _v(_TB, _TB_OK,
       update="params[name].__isub__(lr * scale * grads[name])"))
mutant(A9, "tbptt_step", "tbptt_skips_the_output_layer_update", _v(_TB, _TB_OK,
       update="params[name] - lr * scale * grads[name] if name in ('U', 'W', 'b') else params[name].copy()"))
_PC = """
def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    results = np.zeros(len(ells))
    for which, ell in enumerate(ells):
        state = state0
        logits = []
        for t in range({steps}):
            if {reset}:
                state = state0
            o, state = step(ids[:, t], state)
            logits.append(o)
        results[which] = perplexity(np.stack(logits, axis=1), {targets})
    return results
"""
_PC_OK = dict(steps="L - 1", reset="t % ell == 0", targets="ids[:, 1:]")
mutant(A9, "perplexity_by_context", "context_never_resets", _v(_PC, _PC_OK, reset="False"))
mutant(A9, "perplexity_by_context", "context_resets_one_step_late", _v(_PC, _PC_OK, reset="t % ell == ell - 1"))
mutant(A9, "perplexity_by_context", "context_scores_the_inputs", _v(_PC, _PC_OK, targets="ids[:, :-1]"))
mutant(A9, "perplexity_by_context", "context_reset_to_zeros", _v(_PC, _PC_OK, reset="t % ell == 0 and t > 0"
       ).replace("if t % ell == 0 and t > 0:\n                state = state0", "if t % ell == 0:\n                state = np.zeros_like(state0)"))
mutant(A9, "perplexity_by_context", "context_skips_the_guess_after_each_reset", """
def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    results = np.zeros(len(ells))
    for which, ell in enumerate(ells):
        logits, targets = [], []
        for t in range(L - 1):
            if t % ell == 0:
                state = state0
            o, state = step(ids[:, t], state)
            if t % ell != 0 or ell == 1:
                logits.append(o)
                targets.append(ids[:, t + 1])
        results[which] = perplexity(np.stack(logits, axis=1), np.stack(targets, axis=1))
    return results
""")
mutant(A9, "perplexity_by_context", "context_averages_the_perplexities_of_the_chunks", """
def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    results = np.zeros(len(ells))
    for which, ell in enumerate(ells):
        chunk_ppl = []
        for start in range(0, L - 1, ell):
            state, logits = state0, []
            stop = min(start + ell, L - 1)
            for t in range(start, stop):
                o, state = step(ids[:, t], state)
                logits.append(o)
            chunk_ppl.append(perplexity(np.stack(logits, axis=1), ids[:, start + 1:stop + 1]))
        results[which] = np.mean(chunk_ppl)
    return results
""")


# ---------------------------------------------------------------- running the notebooks
def _kernel_env():
    env = jupyter_env()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def _text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


class Run(NamedTuple):
    visible: dict  # grade id of a visible cell -> the executed cell, correct answers everywhere
    mutants: dict  # mutant name -> (executed mutant answer cell, executed visible cell)
    seconds: float


@functools.lru_cache(maxsize=None)
def run_assignment(assignment: str) -> Run:
    """Execute the filled release, then each mutant of the assignment in the same kernel."""
    from nbclient import NotebookClient

    name = f"{assignment}.ipynb"
    nb = filled_release(read(EXERCISES / assignment / name), read(SOLUTIONS / assignment / name))
    index = {meta(c)["grade_id"]: i for i, c in enumerate(nb.cells) if meta(c).get("grade_id")}
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(EXERCISES / assignment)}})
    started = time.perf_counter()
    mutants = {}
    with client.setup_kernel(env=_kernel_env()):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
        visible = {gid: nb.cells[i] for gid, i in index.items() if gid.endswith("_visible")}
        # nbclient stores each executed cell into the notebook: keep the correct cells apart.
        pristine = copy.deepcopy(nb.cells)
        for mutant_name, m in MUTANTS.items():
            if m.assignment != assignment:
                continue
            answer = nbformat.v4.new_code_cell(m.source.strip() + "\n")
            client.execute_cell(answer, index[m.task])
            check = copy.deepcopy(pristine[index[f"{m.task}_visible"]])
            client.execute_cell(check, index[f"{m.task}_visible"])
            mutants[mutant_name] = (answer, check)
            restored = client.execute_cell(copy.deepcopy(pristine[index[m.task]]), index[m.task])
            assert not _errors(restored), f"{assignment}: the correct {m.task} failed to run again"
    return Run(visible, mutants, time.perf_counter() - started)


def test_every_assignment_with_visible_tests_is_covered():
    assert sorted({m.assignment for m in MUTANTS.values()}) == VISIBLE_ASSIGNMENTS
    for assignment in VISIBLE_ASSIGNMENTS:
        nb = read(SOLUTIONS / assignment / f"{assignment}.ipynb")
        answers = {meta(c)["grade_id"] for c in nb.cells if meta(c).get("solution")}
        visible = {meta(c)["grade_id"] for c in nb.cells if meta(c).get("grade_id", "").endswith("_visible")}
        assert {f"{a}_visible" for a in answers} == visible, assignment
        assert {m.task for m in MUTANTS.values() if m.assignment == assignment} <= answers, assignment


@pytest.mark.parametrize("assignment", VISIBLE_ASSIGNMENTS)
def test_visible_tests_pass_with_the_correct_answers(assignment):
    run = run_assignment(assignment)
    assert run.visible, f"{assignment}: no visible test cells"
    for gid, cell in run.visible.items():
        errors = _errors(cell)
        assert not errors, \
            f"{assignment}/{gid} fails with the correct answers: {errors[0].ename}: {errors[0].evalue}"
        assert "visible tests passed" in _text(cell), f"{assignment}/{gid} did not print that it passed"
        assert "example of this cell fails" not in _text(cell), f"{assignment}/{gid}: an example fails: {_text(cell)}"
    print(f"{assignment}: {len(run.visible)} visible cells and {len(run.mutants)} mutants "
          f"in {run.seconds:.1f} s")


@pytest.mark.parametrize("name", sorted(MUTANTS, key=lambda n: (MUTANTS[n].assignment, n)),
                         ids=lambda n: f"{MUTANTS[n].assignment}-{n}")
def test_visible_test_catches_the_mutant(name):
    m = MUTANTS[name]
    answer, check = run_assignment(m.assignment).mutants[name]
    assert not _errors(answer), \
        f"the mutant {name} does not even define its function: {_errors(answer)[0].evalue}"
    errors = _errors(check)
    assert errors, f"{m.assignment}/{m.task}_visible passes with the mistake {name!r}"
    print(f"{name}: {m.task}_visible fails with {errors[0].ename}: {errors[0].evalue.splitlines()[0][:120]}")


@functools.lru_cache(maxsize=None)
def _answers_namespace_source(assignment):
    """The setup and answer cells of the solution, as a student who solved everything would run them."""
    from rnncourse.grading.notebooks import strip_solution_markers

    nb = read(SOLUTIONS / assignment / f"{assignment}.ipynb")
    return [strip_solution_markers(c.source) for c in nb.cells
            if c.cell_type == "code" and (meta(c).get("grade_id") == "setup" or meta(c).get("solution"))]


@pytest.mark.parametrize("name", sorted(MUTANTS, key=lambda n: (MUTANTS[n].assignment, n)),
                         ids=lambda n: f"{MUTANTS[n].assignment}-{n}")
def test_the_graders_public_cases_catch_the_mutant_too(name):
    """The visible cell's verdict is the grader's: the public cases it starts with fail every mutant."""
    from rnncourse.grading import _first_failure, spec
    from rnncourse.grading.chapters import TASKS

    m = MUTANTS[name]
    namespace = {"__name__": "__main__"}
    for source in _answers_namespace_source(m.assignment):
        exec(compile(source, m.assignment, "exec"), namespace)
    exec(compile(m.source, name, "exec"), namespace)
    task = TASKS[m.task]
    message = _first_failure(task, "visible", namespace[m.task], spec.public_seed(m.task))
    assert message is not None, f"{m.assignment}: the grader's public cases of {m.task} pass the mistake {name!r}"
