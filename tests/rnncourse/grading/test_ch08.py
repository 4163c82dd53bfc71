"""Tests for the chapter-8 parts of rnncourse.grading: NTM addressing, memory and ACT halting.

The reference passes every check silently; the cases cover the edge cases of the issue;
realistic mistakes fail with a message that names the function, the case and what differs.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse.grading import check_against_reference, check_gradients_numerically
from rnncourse.grading.checks import TestFailure, compare
from rnncourse.grading.chapters import TASKS
from support import raises_message

NAMES = ["content_addressing", "interpolate_weights", "circular_shift", "sharpen", "sharpen_backward", "memory_step",
         "act_halting_distribution"]
CASES = {name: TASKS[name].cases for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("seed", [0, 1])
def test_reference_sharpen_backward_passes_the_numerical_check(seed, capfd):
    assert check_gradients_numerically("sharpen_backward", rnncourse.sharpen_backward, seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_the_edge_cases_of_the_issue():
    rng = np.random.default_rng(0)
    content = [kw for _, kw in CASES["content_addressing"](rng)]
    assert any(np.all(kw["beta"] == 0) for kw in content)                         # key strength 0
    assert any(np.all(kw["beta"] >= 1e4) for kw in content)                       # a large key strength
    assert any(np.any(np.all(kw["q"] == 0, axis=1)) for kw in content)           # a zero-norm query
    assert any(np.any(np.all(kw["memory"] == 0, axis=2)) for kw in content)      # an empty slot
    assert any(kw["memory"].shape[1] == 1 for kw in content)                      # a memory of one slot
    shifts = [kw for _, kw in CASES["circular_shift"](rng)]
    assert any(np.allclose(kw["w_g"], 1 / kw["w_g"].shape[1]) and kw["w_g"].shape[1] > 1 for kw in shifts)  # uniform
    assert any(np.all(np.isin(kw["w_g"], [0.0, 1.0])) and kw["w_g"].shape[1] > 1 for kw in shifts)        # one-hot
    assert any(kw["w_g"].shape[1] == 1 for kw in shifts)
    sharp = [kw for _, kw in CASES["sharpen"](rng)]
    assert any(0 < kw["w_tilde"].max() < 1e-190 for kw in sharp)                  # near-zero weights
    assert any(np.any(kw["w_tilde"] == 0) for kw in sharp) and any(kw["w_tilde"].shape[1] == 1 for kw in sharp)
    # Exact zeros with xi = 1 (the gradient there is not 0) and with xi > 1 (it is).
    zero_rows = [kw["xi"][n] for kw in sharp for n in range(len(kw["xi"])) if np.any(kw["w_tilde"][n] == 0)]
    assert 1.0 in zero_rows and max(zero_rows) > 1.0
    # The ACT cases halt at once, in between and at the cap.
    halts = [(rnncourse.act_halting_distribution(**kw)[1], kw) for _, kw in CASES["act_halting_distribution"](rng)]
    nus = np.concatenate([nu for nu, _ in halts])
    assert (nus == 1).any() and ((nus > 1) & (nus < 4)).any()
    assert any(np.any((nu == kw["p_tilde"].shape[1]) & (kw["p_tilde"].sum(axis=1) < 1 - kw["iota"]))
               for nu, kw in halts if kw["p_tilde"].shape[1] > 1)                     # stopped by the cap


def softmax_without_max_shift(memory, q, beta):
    cos = rnncourse.cosine_similarity(memory, q)
    e = np.exp(beta[:, None] * cos)
    return e / e.sum(axis=1, keepdims=True)


def cosine_without_guard(memory, q, beta):
    cos = np.einsum("nsm,nm->ns", memory, q) / (np.linalg.norm(memory, axis=2) * np.linalg.norm(q, axis=1)[:, None])
    z = beta[:, None] * cos
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def shift_the_other_way(w_g, s):
    return sum(s[:, k, None] * np.roll(w_g, -k, axis=1) for k in range(w_g.shape[1]))


def naive_sharpen(w_tilde, xi):
    powered = w_tilde ** xi[:, None]
    return powered / powered.sum(axis=1, keepdims=True)


def sharpen_backward_without_softmax_term(dw, w_tilde, xi):
    w = rnncourse.sharpen(w_tilde, xi)
    logs = np.log(np.where(w_tilde > 0, w_tilde, 1.0))
    return xi[:, None] * dw * w / np.where(w_tilde > 0, w_tilde, 1.0), np.sum(w * dw * logs, axis=1)


def sharpen_backward_flat_at_zero_for_every_xi(dw, w_tilde, xi):
    dw_tilde, dxi = rnncourse.sharpen_backward(dw, w_tilde, xi)
    return np.where(w_tilde > 0, dw_tilde, 0.0), dxi


def add_then_erase(memory, w_write, u, v, w_read):
    added = memory + w_write[:, :, None] * v[:, None, :]
    new = added * (1 - w_write[:, :, None] * u[:, None, :])
    return new, rnncourse.memory_read(new, w_read)


def read_the_memory_before_the_write(memory, w_write, u, v, w_read):
    return rnncourse.memory_write(memory, w_write, u, v), rnncourse.memory_read(memory, w_read)


def halting_counts_the_crossing_step_in_the_remainder(p_tilde, iota=0.01):
    p, nu, R = rnncourse.act_halting_distribution(p_tilde, iota)
    R = R - p_tilde[np.arange(len(nu)), nu - 1]
    p = p.copy()
    p[np.arange(len(nu)), nu - 1] = R
    return p, nu, R


def guard_added_to_the_product_of_norms(memory, q, beta):
    cos = np.einsum("nsm,nm->ns", memory, q) / (np.linalg.norm(memory, axis=2) * np.linalg.norm(q, axis=1)[:, None] + 1e-8)
    z = beta[:, None] * cos
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_another_usual_norm_guard_passes(capfd):
    for seed in range(3):
        assert check_against_reference("content_addressing", guard_added_to_the_product_of_norms, seed=seed) is None


def halting_with_float_steps(p_tilde, iota=0.01):
    p, nu, R = rnncourse.act_halting_distribution(p_tilde, iota)
    return p, nu.astype(float), R


@pytest.mark.parametrize("name, func, message", [
    ("content_addressing", softmax_without_max_shift, r"content_addressing, case 5 of 6 \(.*beta = 1e4.*inf or nan"),
    ("content_addressing", cosine_without_guard, r"content_addressing, case 6 of 6 \(a zero query.*inf or nan"),
    ("circular_shift", shift_the_other_way, r"circular_shift, case 1 of 7 \(the worked example.*entries differ"),
    ("sharpen", naive_sharpen, r"sharpen, case 6 of 8 \(weights near 1e-200.*inf or nan"),
    ("sharpen_backward", sharpen_backward_without_softmax_term, r"sharpen_backward, case 1 of 9 .*output dw_tilde"),
    ("sharpen_backward", sharpen_backward_flat_at_zero_for_every_xi,
     r"sharpen_backward, case 7 of 9 \(exact zeros in the weighting, xi = 1 and 2\), output dw_tilde"),
    ("memory_step", add_then_erase, r"memory_step, case 1 of 5 .*output memory_new: .*entries differ"),
    ("memory_step", read_the_memory_before_the_write, r"memory_step, case 1 of 5 .*output m: .*read the new memory"),
    ("act_halting_distribution", halting_counts_the_crossing_step_in_the_remainder,
     r"act_halting_distribution, case 1 of 6 .*output p"),
    ("act_halting_distribution", halting_with_float_steps, r"output nu: dtype float64, expected an integer dtype"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func)


def test_numerical_check_catches_a_missing_softmax_term():
    with raises_message(r"sharpen_backward, case 1 of 8 .*output dw_tilde: relative error"):
        check_gradients_numerically("sharpen_backward", sharpen_backward_without_softmax_term)


def test_integer_outputs_are_compared_exactly():
    expected = np.array([3, 1, 4])
    compare("nu", np.array([3, 1, 4], dtype=np.int32), expected, hint=None)
    with pytest.raises(TestFailure, match=r"nu: 1 of 3 entries differ, the first at index \(1,\) \(got 2, expected\s+1\)"):
        compare("nu", np.array([3, 2, 4]), expected, hint=None)
    with pytest.raises(TestFailure, match="expected an integer dtype"):
        compare("nu", np.array([True, True, True]), expected, hint=None)
    with pytest.raises(TestFailure, match=r"shape \(2,\), expected \(3,\)"):
        compare("nu", np.array([3, 1]), expected, hint=None)
    with pytest.raises(TestFailure, match="expected a numpy array of integers"):
        compare("nu", [3, 1, 4], expected, hint=None)
