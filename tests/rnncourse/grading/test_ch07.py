"""Tests for the chapter-7 parts of rnncourse.grading: attention.

The reference passes every check silently (and the numerical checks of its backward passes);
realistic mistakes fail with a message that names the function, the case and what differs.
"""

import time

import numpy as np
import pytest

import rnncourse
from rnncourse.grading import check_against_reference, check_gradients_numerically
from rnncourse.grading.chapters import TASKS
from rnncourse.grading.jail import JailLimits
from rnncourse.grading.spec import public_seed
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

NAMES = ["additive_attention_forward", "attention_weights", "dot_product_attention", "projected_attention_backward",
         "attention_decoder_step_forward", "reversal_alignment"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("name", ["projected_attention_backward"])
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
    backward = CASES["projected_attention_backward"](rng(0))
    assert any(kw["Hs_dec"].shape[:2] == (1, 1) and kw["Hs_enc"].shape[1] == 1 for _, kw in backward)
    assert any(kw["Hs_dec"].shape[1] == 1 and "mask" in kw for _, kw in backward)
    assert any("mask" in kw and not kw["mask"].all() for _, kw in backward)
    assert {kw["scaled"] for _, kw in backward} == {True, False}
    # every case tells the state, key and value sizes apart (a transposed weight cannot fit by chance)
    assert all(len({kw["Hs_dec"].shape[2], kw["Hs_enc"].shape[2], kw["W_q"].shape[0], kw["U_v"].shape[0]}) == 4
               for _, kw in backward)
    (label, big), = TASKS["projected_attention_backward"].at_scale(rng(0))
    assert "mask" in big and big["scaled"]
    # sized by the columns of the key node, the cheapest place for finite differences (see below)
    assert big["Hs_enc"].shape[1] * big["W_q"].shape[0] >= 32_768
    steps = CASES["attention_decoder_step_forward"](rng(0))
    assert any(kw["x"].shape[0] == 1 and kw["Hs_enc"].shape[1] == 1 for _, kw in steps)
    assert any("mask" in kw for _, kw in steps)


def key_column_differences(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None, columns=None):
    """A backward pass by finite differences at the projections, as cheap as such differences get.

    The loss sum(dMs * Ms) separates over the examples and the steps, so one nudge of a query column
    Q[..., a] (every example and step at once) and one of a key column K[:, j, a] (every example at
    once) give dQ and dK; dV is the chapter's formula and the rest are linear maps. ``columns`` stops
    after that many key columns, to time a sample.
    """
    Q, K, V = Hs_dec @ W_q.T, Hs_enc @ U_k.T, Hs_enc @ U_v.T

    def per_step(Q_, K_):
        return np.sum(dMs * rnncourse.dot_product_attention(Q_, K_, V, scaled, mask)[0], axis=2)

    def centred(f, X, idx, eps=1e-5):
        plus, minus = X.copy(), X.copy()
        plus[idx] += eps
        minus[idx] -= eps
        return (f(plus) - f(minus)) / (2 * eps)

    dQ, dK = np.zeros_like(Q), np.zeros_like(K)
    for a in range(Q.shape[2]):
        dQ[..., a] = centred(lambda Q_: per_step(Q_, K), Q, (Ellipsis, a))
    pairs = [(j, a) for j in range(K.shape[1]) for a in range(K.shape[2])][:columns]
    for j, a in pairs:
        dK[:, j, a] = centred(lambda K_: per_step(Q, K_).sum(axis=1), K, (slice(None), j, a))
    _, alpha = rnncourse.dot_product_attention(Q, K, V, scaled, mask)
    dV = np.swapaxes(alpha, 1, 2) @ dMs
    return (np.einsum("nta,nth->ah", dQ, Hs_dec), np.einsum("nja,nje->ae", dK, Hs_enc),
            np.einsum("njv,nje->ve", dV, Hs_enc), dQ @ W_q, dK @ U_k + dV @ U_v)


def test_key_column_differences_run_out_of_time_at_the_realistic_size():
    # The Rules promise that finite differences taken one column at a time run out of time. The
    # cheapest such answer nudges the query and key columns: it is right on the small cases...
    for label, kw in CASES["projected_attention_backward"](np.random.default_rng(0)):
        got, want = key_column_differences(**kw), rnncourse.projected_attention_backward(**kw)
        assert all(rnncourse.relative_error(g, w) < 1e-6 for g, w in zip(got, want)), label
    # ...but at the realistic size its key columns alone take several times a call's limit, while the
    # reference takes a small fraction of it. Timing a sample of the columns suffices.
    limit = JailLimits().call_timeout
    (_, big), = TASKS["projected_attention_backward"].at_scale(np.random.default_rng(0))
    reference = []
    for _ in range(3):
        start = time.perf_counter()
        rnncourse.projected_attention_backward(**big)
        reference.append(time.perf_counter() - start)
    assert min(reference) < limit / 20, reference
    def seconds(columns):
        start = time.perf_counter()
        key_column_differences(**big, columns=columns)
        return time.perf_counter() - start

    # the time of the key columns alone: without the query columns and the linear maps
    sample, columns = 128, big["Hs_enc"].shape[1] * big["W_q"].shape[0]
    projected = (seconds(sample) - seconds(0)) / sample * columns
    assert projected > 2 * limit, f"{projected:.1f} s for all {columns} key columns"


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


def projected_backward_without_the_softmax_subtraction(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    queries, keys, values = Hs_dec @ W_q.T, Hs_enc @ U_k.T, Hs_enc @ U_v.T
    _, alpha = rnncourse.dot_product_attention(queries, keys, values, scaled, mask)
    dalpha, dvalues = rnncourse.attention_context_backward(dMs, alpha, values)
    dqueries, dkeys = rnncourse.dot_product_attention_scores_backward(alpha * dalpha, queries, keys, scaled)
    return (np.einsum("nta,nth->ah", dqueries, Hs_dec), np.einsum("nja,nje->ae", dkeys, Hs_enc),
            np.einsum("njv,nje->ve", dvalues, Hs_enc), dqueries @ W_q, dkeys @ U_k + dvalues @ U_v)


def projected_backward_without_the_key_path(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    grads = rnncourse.projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled, mask)
    dvalues = rnncourse.attention_context_backward(
        dMs, rnncourse.projected_attention_forward(Hs_dec, Hs_enc, W_q, U_k, U_v, scaled, mask)[1], Hs_enc @ U_v.T)[1]
    return grads[:4] + (dvalues @ U_v,)


def projected_backward_without_the_scale(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    dW_q, dU_k, dU_v, dHs_dec, dHs_enc = rnncourse.projected_attention_backward(
        dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled, mask)
    s = np.sqrt(W_q.shape[0]) if scaled else 1.0
    key_path = dHs_enc - rnncourse.attention_context_backward(
        dMs, rnncourse.projected_attention_forward(Hs_dec, Hs_enc, W_q, U_k, U_v, scaled, mask)[1],
        Hs_enc @ U_v.T)[1] @ U_v
    return dW_q * s, dU_k * s, dU_v, dHs_dec * s, dHs_enc + (s - 1) * key_path


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
    ("projected_attention_backward", projected_backward_without_the_softmax_subtraction,
     r"projected_attention_backward, case 1 of 7 \(N=1, T_y=1, T_x=1.*output dW_q"),
    ("projected_attention_backward", projected_backward_without_the_key_path,
     r"projected_attention_backward, case 2 of 7 \(.*output dHs_enc.*key path"),
    ("projected_attention_backward", projected_backward_without_the_scale,
     r"projected_attention_backward, case 2 of 7 \(.*scaled=True\).*output dW_q.*scale"),
    ("attention_decoder_step_forward", step_without_context,
     r"attention_decoder_step_forward, case 1 of 4 .*output h_next"),
    ("reversal_alignment", alignment_off_by_one, r"reversal_alignment, case 1 of 4 .*output mass"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func, seed=public_seed(name))


def test_numerical_check_catches_a_softmax_backward_without_the_subtraction():
    with raises_message(r"projected_attention_backward, case 1 of 6 .*output dW_q: relative error"):
        check_gradients_numerically("projected_attention_backward", projected_backward_without_the_softmax_subtraction)


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
