"""Tests for the chapter-7 parts of rnncourse.grading: attention.

The reference passes every check silently (and the numerical checks of its backward passes);
realistic mistakes fail with a message that names the function, the case and what differs.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse.grading import check_against_reference, check_gradients_numerically
from rnncourse.grading.chapters import TASKS
from rnncourse.grading.spec import public_seed
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

NAMES = ["additive_attention_forward", "dot_product_attention_scores", "attention_weights", "attention_context",
         "attention_weights_backward", "attention_context_backward", "attention_decoder_step_forward",
         "reversal_alignment"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("name", ["attention_weights_backward", "attention_context_backward"])
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_backward_passes_the_numerical_check(name, seed, capfd):
    assert check_gradients_numerically(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_single_steps_masks_and_small_sizes():
    rng = np.random.default_rng
    queries = [kw["queries"].shape for _, kw in CASES["additive_attention_forward"](rng(0))]
    assert any(len(s) == 2 for s in queries) and (1, 1, 1) in queries
    assert any(kw["keys"].shape[1] == 1 for _, kw in CASES["additive_attention_forward"](rng(0)))
    scaled = {kw["scaled"] for _, kw in CASES["dot_product_attention_scores"](rng(0))}
    assert scaled == {True, False}
    weights = CASES["attention_weights"](rng(0))
    assert any("mask" in kw and kw["E"].ndim == 2 for _, kw in weights) and any("mask" in kw and kw["E"].ndim == 3
                                                                              for _, kw in weights)
    assert any(not kw["mask"].all() for _, kw in weights if "mask" in kw)
    assert any(kw["dalpha"].shape == (1, 1, 1) for _, kw in CASES["attention_weights_backward"](rng(0)))
    assert any(np.any(kw["alpha"] == 0) for _, kw in CASES["attention_weights_backward"](rng(0)))
    steps = CASES["attention_decoder_step_forward"](rng(0))
    assert any(kw["x"].shape[0] == 1 and kw["Hs_enc"].shape[1] == 1 for _, kw in steps)
    assert any("mask" in kw for _, kw in steps)


def test_the_trained_alignment_cases_follow_the_reversal():
    values = [rnncourse.reversal_alignment(**kw) for _, kw in CASES["reversal_alignment"](np.random.default_rng(0))]
    trained, untrained = values[0], values[2:]
    assert trained[2] > 0.9 and trained[1].min() > 0.5
    assert all(v[2] < 0.9 for v in untrained)


def additive_without_tanh(queries, keys, W_a, U_a, V_a):
    Q = queries[:, None] if queries.ndim == 2 else queries
    E = ((Q @ W_a.T)[:, :, None] + (keys @ U_a.T)[:, None]) @ V_a[0]
    return E[:, 0] if queries.ndim == 2 else E


def dot_product_without_scale(queries, keys, scaled=False):
    return rnncourse.dot_product_attention_scores(queries, keys, False)


def softmax_over_target_steps(E, mask=None):
    axis = 1 if E.ndim == 3 else -1
    e = np.exp(E - E.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def weights_ignoring_the_mask(E, mask=None):
    return rnncourse.attention_weights(E)


def context_summed_over_target_steps(alpha, values):
    if alpha.ndim == 2:
        return rnncourse.attention_context(alpha, values)
    return np.repeat(np.einsum("ntj,njh->nh", alpha, values)[:, None], alpha.shape[1], axis=1)


def weights_backward_without_the_subtraction(dalpha, alpha):
    return alpha * dalpha


def context_backward_dvalues_of_the_first_step(dMs, alpha, values):
    dalpha, dvalues = rnncourse.attention_context_backward(dMs, alpha, values)
    if alpha.ndim == 3:
        dvalues = alpha[:, 0, :, None] * dMs[:, 0, None, :]
    return dalpha, dvalues


def step_without_context(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    h_next, m, alpha = rnncourse.attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell, mask)
    return np.tanh(dec["b"] + h_prev @ dec["W"].T + x @ dec["U"].T), m, alpha


def alignment_off_by_one(Hs_enc, Y_in, dec, cell="rnn"):
    alpha, _, _ = rnncourse.reversal_alignment(Hs_enc, Y_in, dec, cell)
    T_x = Hs_enc.shape[1]
    mass = np.array([alpha[:, t, (T_x - t) % T_x].mean() for t in range(T_x)])
    hit = float((alpha[:, :T_x].argmax(axis=2) == (T_x - np.arange(T_x)) % T_x).mean())
    return alpha, mass, hit


@pytest.mark.parametrize("name, func, message", [
    ("additive_attention_forward", additive_without_tanh, r"additive_attention_forward, case 1 of 4 .*entries differ"),
    ("dot_product_attention_scores", dot_product_without_scale,
     r"dot_product_attention_scores, case 2 of 5 \(.*scaled=True\).*square root"),
    ("attention_weights", softmax_over_target_steps, r"attention_weights, case 2 of 6 \(N=2, T_y=3, T_x=4\)"),
    ("attention_weights", weights_ignoring_the_mask, r"attention_weights, case 5 of 6 .*with a mask"),
    ("attention_context", context_summed_over_target_steps, r"attention_context, case 2 of 4 .*entries differ"),
    ("attention_weights_backward", weights_backward_without_the_subtraction,
     r"attention_weights_backward, case 1 of 5 \(N=1, T_y=1, T_x=1\).*entries differ"),
    ("attention_context_backward", context_backward_dvalues_of_the_first_step,
     r"attention_context_backward, case 2 of 4 .*output dvalues"),
    ("attention_decoder_step_forward", step_without_context,
     r"attention_decoder_step_forward, case 1 of 4 .*output h_next"),
    ("reversal_alignment", alignment_off_by_one, r"reversal_alignment, case 1 of 4 .*output mass"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func, seed=public_seed(name))


def test_numerical_check_catches_a_softmax_backward_without_the_subtraction():
    with raises_message(r"attention_weights_backward, case 1 of 5 .*output dE: relative error"):
        check_gradients_numerically("attention_weights_backward", weights_backward_without_the_subtraction)
