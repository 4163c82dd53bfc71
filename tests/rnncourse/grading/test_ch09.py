"""Tests for the chapter-9 parts of rnncourse.grading: sampling, perplexity, a truncated-BPTT step, context.

The reference passes every check silently; the grader-written models equal rnncourse's; the cases
keep every uniform number away from the boundaries of its cumulative distribution and cover the
edge cases; realistic mistakes fail with a message that names the function, the case and what differs.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse import charlm
from rnncourse.grading import _run_check, check_against_reference
from rnncourse.grading.chapters import TASKS, ch09
from rnncourse.grading.checks import TestFailure
from support import raises_message

NAMES = ["temperature_softmax", "sample_index", "sample_sequence", "perplexity", "tbptt_step", "perplexity_by_context"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("seed", range(12))
def test_reference_passes_the_descent_check_whatever_the_seed(seed, capfd):
    assert _run_check("tbptt_step", "descent", rnncourse.tbptt_step, seed) is None
    assert capfd.readouterr() == ("", "")


def test_the_grader_written_models_are_rnncourses():
    rng = np.random.default_rng(0)
    for K, H, N, T in [(5, 3, 2, 4), (7, 4, 3, 1)]:
        params = ch09._lm_params(rng, K, H)
        X = rnncourse.one_hot(rng.integers(0, K, (N, T)), K)
        h0, C0 = rng.normal(size=(N, H)), rng.normal(size=(N, H))
        Hs, Cs, backward = ch09.lstm_chunk_function().materialise()(params, X, h0, C0)
        Hs_ref, Cs_ref, backward_ref = charlm.lstm_chunk(params, X, h0, C0)
        np.testing.assert_allclose(Hs, Hs_ref, rtol=1e-13)
        np.testing.assert_allclose(Cs, Cs_ref, rtol=1e-13)
        dHs = rng.normal(size=(N, T, H))
        got, ref = backward(dHs), backward_ref(dHs)
        assert sorted(got) == ["U", "W", "b"]
        for k in ref:
            np.testing.assert_allclose(got[k], ref[k], rtol=1e-12, atol=1e-14)
        x = rng.integers(0, K, N)
        o, (h, C) = ch09.lstm_lm_step_function(params).materialise()(x, (h0, C0))
        o_ref, (h_ref, C_ref) = charlm.lm_step(params)(x, (h0, C0))
        np.testing.assert_allclose(o, o_ref, rtol=1e-13)
        np.testing.assert_allclose(h, h_ref, rtol=1e-13)
        np.testing.assert_allclose(C, C_ref, rtol=1e-13)
    step = ch09.rnn_lm_step_function(rng, 4, 3)
    g = step.globals
    x, h = rng.integers(0, 4, 2), rng.normal(size=(2, 3))
    o, h2 = step.materialise()(x, h)
    h_ref = rnncourse.rnn_step_forward(rnncourse.one_hot(x, 4), h, g["U"], g["W"], g["b"])
    np.testing.assert_allclose(h2, h_ref, rtol=1e-13)
    np.testing.assert_allclose(o, h_ref @ g["V"].T + g["c"], rtol=1e-13)


def test_the_aab_model_predicts_the_text_it_was_built_for():
    step = ch09.pair_model_step_function().materialise()
    text = np.tile([0, 0, 1], 4)[None]
    ppl = charlm.perplexity_by_context(step, np.full(1, -1), text, np.array([1, 2, 11]))
    assert ppl[0] > ppl[1] > ppl[2]
    o, _ = step(text[:, 4], text[:, 3])  # "a" after "a": "b" comes next
    assert np.argmax(o[0]) == 1


def _gap(p, upsilon):
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1:]
    return np.min(np.abs(F - upsilon[:, None]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uniform_numbers_keep_away_from_the_cumulative_distribution(seed):
    rng = np.random.default_rng(seed)
    for _, kw in TASKS["sample_index"].cases(rng):
        if kw["p"].shape[1] > 1:
            assert _gap(kw["p"], kw["upsilon"]) >= ch09.BOUNDARY_GAP or kw["upsilon"].min() == 0.0
    for _, kw in TASKS["sample_sequence"].cases(rng):
        step, state, x = kw["step"].materialise(), kw["state"], kw["x"]
        for t in range(kw["upsilon"].shape[1]):
            o, state = step(x, state)
            p = charlm.temperature_softmax(o, kw["temperature"])
            if kw["temperature"] > 0:
                assert _gap(p, kw["upsilon"][:, t]) >= ch09.BOUNDARY_GAP
            x = charlm.sample_index(p, kw["upsilon"][:, t])


def test_cases_cover_the_edge_cases():
    rng = np.random.default_rng(0)
    soft = [kw for _, kw in TASKS["temperature_softmax"].cases(rng)]
    assert any(kw["temperature"] == 0 for kw in soft) and any(kw["temperature"] <= 1e-3 and kw["temperature"] > 0
                                                               for kw in soft)
    assert any(np.abs(kw["o"]).max() > 700 for kw in soft) and any(kw["o"].ndim == 3 for kw in soft)
    draws = [kw for _, kw in TASKS["sample_index"].cases(rng)]
    assert any(np.any(kw["p"][:, 0] == 0) and np.any(kw["upsilon"] == 0) for kw in draws)  # upsilon = 0 on a zero class
    assert any(not np.allclose(kw["p"].sum(axis=1), 1) for kw in draws)
    seqs = [kw for _, kw in TASKS["sample_sequence"].cases(rng)]
    assert any(isinstance(kw["state"], np.ndarray) for kw in seqs) and any(kw["temperature"] == 0 for kw in seqs)
    labels = [label for label, _ in TASKS["tbptt_step"].cases(rng)]
    assert any("(clipped)" in label for label in labels) and any("(not clipped)" in label for label in labels)
    for _, kw in TASKS["tbptt_step"].cases(rng):
        assert np.abs(kw["state"][0]).max() > 0 and np.abs(kw["state"][1]).max() > 0  # a carried state, not zeros
    ppl = [kw for _, kw in TASKS["perplexity"].cases(rng)]
    assert any(np.abs(kw["O"]).max() > 700 for kw in ppl)


# ------------------------------------------------------------------ realistic mistakes


def softmax_times_tau(o, temperature):
    return charlm.temperature_softmax(o * temperature if temperature else o, 1.0)


def draw_with_less_or_equal(p, upsilon):
    F = np.cumsum(p, axis=1) / p.sum(axis=1, keepdims=True)
    return np.sum(F < upsilon[:, None], axis=1)


def sample_without_feeding_back(step, state, x, upsilon, temperature):
    out = np.zeros(upsilon.shape, dtype=np.int64)
    for t in range(upsilon.shape[1]):
        o, state = step(x, state)
        out[:, t] = charlm.sample_index(charlm.temperature_softmax(o, temperature), upsilon[:, t])
    return out


def perplexity_without_shift(O, Y):
    e = np.exp(O)
    p = np.take_along_axis(e / e.sum(axis=2, keepdims=True), Y[:, :, None], axis=2)
    return float(np.exp(-np.mean(np.log(p))))


def tbptt_from_zeros(params, inputs, targets, state, lstm, lr, max_norm):
    zeros = (np.zeros_like(state[0]), np.zeros_like(state[1]))
    return charlm.tbptt_step(params, inputs, targets, zeros, lstm, lr, max_norm)


def tbptt_summed_over_time(params, inputs, targets, state, lstm, lr, max_norm):
    return charlm.tbptt_step(params, inputs, targets, state, lstm, lr * inputs.shape[1], max_norm * inputs.shape[1])


def tbptt_uphill(params, inputs, targets, state, lstm, lr, max_norm):
    new, loss, last = charlm.tbptt_step(params, inputs, targets, state, lstm, lr, max_norm)
    return {k: 2 * params[k] - new[k] for k in params}, loss, last


def context_without_resets(step, state0, ids, ells):
    return charlm.perplexity_by_context(step, state0, ids, np.full(len(ells), ids.shape[1]))


@pytest.mark.parametrize(
    "name, func, check, message",
    [
        ("temperature_softmax", softmax_times_tau, "hidden", "temperature_softmax, case"),
        ("sample_index", draw_with_less_or_equal, "hidden", "entries differ"),
        ("sample_sequence", sample_without_feeding_back, "hidden", "feed the draw back"),
        ("perplexity", perplexity_without_shift, "hidden", "perplexity, case"),
        ("tbptt_step", tbptt_from_zeros, "hidden", "output new_params"),
        ("tbptt_step", tbptt_summed_over_time, "hidden", "new_params"),
        ("tbptt_step", tbptt_uphill, "descent", "did not go downhill"),
        ("perplexity_by_context", context_without_resets, "hidden", "perplexity_by_context, case"),
    ],
)
def test_realistic_mistakes_fail_with_a_message(name, func, check, message):
    with np.errstate(all="ignore"):
        with pytest.raises(TestFailure) as err:
            _run_check(name, check, func, 3)
    assert message in str(err.value).replace("\n", " ")
    assert name in str(err.value)


def test_a_step_that_returns_no_parameters_fails_the_descent_check_with_a_message():
    def no_params(params, inputs, targets, state, lstm, lr, max_norm):
        return {}, 0.0, state

    with raises_message(r"new_params\['U'\] should be a finite float array"):
        _run_check("tbptt_step", "descent", no_params, 0)
