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

NAMES = ["additive_attention_forward", "attention_weights", "dot_product_attention", "dot_product_attention_backward",
         "attention_decoder_step_forward", "reversal_alignment"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("name", ["dot_product_attention_backward"])
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_backward_passes_the_numerical_check(name, seed, capfd):
    assert check_gradients_numerically(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_single_steps_masks_and_small_sizes():
    rng = np.random.default_rng
    queries = [kw["queries"].shape for _, kw in CASES["additive_attention_forward"](rng(0))]
    assert any(len(s) == 2 for s in queries) and (1, 1, 1) in queries
    assert any(kw["keys"].shape[1] == 1 for _, kw in CASES["additive_attention_forward"](rng(0)))
    dot = CASES["dot_product_attention"](rng(0))
    assert {kw["scaled"] for _, kw in dot} == {True, False}
    assert any(kw["queries"].ndim == 2 and "mask" in kw for _, kw in dot)
    assert any(kw["keys"].shape[1] == 1 for _, kw in dot) and any("mask" in kw and not kw["mask"].all() for _, kw in dot)
    # raw scores beyond exp's range (about 709): the softmax must shift
    assert any(np.abs(np.einsum("ntd,njd->ntj", kw["queries"], kw["keys"])).max() > 709 for _, kw in dot
               if kw["queries"].ndim == 3)
    weights = CASES["attention_weights"](rng(0))
    assert any("mask" in kw and kw["E"].ndim == 2 for _, kw in weights) and any("mask" in kw and kw["E"].ndim == 3
                                                                              for _, kw in weights)
    assert any(not kw["mask"].all() for _, kw in weights if "mask" in kw)
    backward = CASES["dot_product_attention_backward"](rng(0))
    assert any(kw["dMs"].shape == (1, 1, 1) for _, kw in backward)
    assert any(kw["dMs"].ndim == 2 for _, kw in backward) and any("mask" in kw for _, kw in backward)
    assert {kw["scaled"] for _, kw in backward} == {True, False}
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


def dot_attention_without_scale(queries, keys, values, scaled=False, mask=None):
    return rnncourse.dot_product_attention(queries, keys, values, False, mask)


def softmax_over_target_steps(E, mask=None):
    axis = 1 if E.ndim == 3 else -1
    e = np.exp(E - E.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def weights_ignoring_the_mask(E, mask=None):
    return rnncourse.attention_weights(E)


def dot_attention_ignoring_the_mask(queries, keys, values, scaled=False, mask=None):
    return rnncourse.dot_product_attention(queries, keys, values, scaled)


def dot_backward_without_the_softmax_subtraction(dMs, queries, keys, values, scaled=False, mask=None):
    _, alpha = rnncourse.dot_product_attention(queries, keys, values, scaled, mask)
    dalpha, dvalues = rnncourse.attention_context_backward(dMs, alpha, values)
    dqueries, dkeys = rnncourse.dot_product_attention_scores_backward(alpha * dalpha, queries, keys, scaled)
    return dqueries, dkeys, dvalues


def dot_backward_without_the_scale(dMs, queries, keys, values, scaled=False, mask=None):
    dqueries, dkeys, dvalues = rnncourse.dot_product_attention_backward(dMs, queries, keys, values, scaled, mask)
    s = np.sqrt(keys.shape[-1]) if scaled else 1.0
    return dqueries * s, dkeys * s, dvalues


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
    ("dot_product_attention", dot_attention_without_scale,
     r"dot_product_attention, case 2 of 6 \(.*scaled=True\).*square root"),
    ("dot_product_attention", dot_attention_ignoring_the_mask,
     r"dot_product_attention, case 3 of 6 .*with a mask.*mask applied"),
    ("attention_weights", softmax_over_target_steps, r"attention_weights, case 2 of 6 \(N=2, T_y=3, T_x=4\)"),
    ("attention_weights", weights_ignoring_the_mask, r"attention_weights, case 5 of 6 .*with a mask"),
    ("dot_product_attention_backward", dot_backward_without_the_softmax_subtraction,
     r"dot_product_attention_backward, case 1 of 6 \(N=1, T_y=1, T_x=1.*output dqueries.*softmax"),
    ("dot_product_attention_backward", dot_backward_without_the_scale,
     r"dot_product_attention_backward, case 2 of 6 \(.*scaled=True\).*output dqueries.*scale"),
    ("attention_decoder_step_forward", step_without_context,
     r"attention_decoder_step_forward, case 1 of 4 .*output h_next"),
    ("reversal_alignment", alignment_off_by_one, r"reversal_alignment, case 1 of 4 .*output mass"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func, seed=public_seed(name))


def test_numerical_check_catches_a_softmax_backward_without_the_subtraction():
    with raises_message(r"dot_product_attention_backward, case 1 of 5 .*output dqueries: relative error"):
        check_gradients_numerically("dot_product_attention_backward", dot_backward_without_the_softmax_subtraction)


def test_the_chained_backward_is_the_chapters_stages_chained():
    """The reference chains the stages chapter 7 checks one by one (attention's own functions)."""
    rng = np.random.default_rng(3)
    q, k, v = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 6))
    mask = np.array([[True, False, True, True, True], [True, True, True, False, False]])
    dMs = rng.normal(size=(2, 3, 6))
    Ms, alpha = rnncourse.dot_product_attention(q, k, v, True, mask)
    E = rnncourse.dot_product_attention_scores(q, k, True)
    assert np.array_equal(alpha, rnncourse.attention_weights(E, mask))
    assert np.array_equal(Ms, rnncourse.attention_context(alpha, v))
    dq, dk, dv = rnncourse.dot_product_attention_backward(dMs, q, k, v, True, mask)
    f = lambda _: rnncourse.dot_product_attention(q, k, v, True, mask)[0]  # noqa: E731
    for g, x in ((dq, q), (dk, k), (dv, v)):
        assert rnncourse.relative_error(g, rnncourse.numerical_gradient(f, x, dMs)) < 1e-7
