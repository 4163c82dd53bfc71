"""Tests for the chapter-3 parts of rnncourse.grading: long-term dependencies and clipping.

The reference functions pass their own seeded cases without output; realistic
mistakes fail with a message that names the function, the case and what differs.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse.grading.chapters import TASKS
from rnncourse.grading import check_against_reference
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

NAMES = ["spectral_radius", "matrix_power_eigen", "hidden_state_jacobian", "gradient_norms_through_time",
         "global_norm", "clip_by_norm"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes_its_cases_silently(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_small_sizes():
    rng = np.random.default_rng
    assert any(kw["W"].shape == (1, 1) for _, kw in CASES["spectral_radius"](rng(0)))
    assert any(kw["t"] == 0 for _, kw in CASES["matrix_power_eigen"](rng(0)))
    shapes = [kw["h_next"].shape for _, kw in CASES["hidden_state_jacobian"](rng(0))]
    assert any(len(s) == 1 for s in shapes) and any(len(s) == 2 and s[0] == 1 for s in shapes)
    shapes = [kw["X"].shape for _, kw in CASES["gradient_norms_through_time"](rng(0))]
    assert any(s[0] == 1 for s in shapes) and any(s[1] == 1 for s in shapes)


def _bug(name):
    if name == "spectral_radius":
        return lambda W: float(np.max(np.linalg.eigvals(W).real))  # forgets the absolute value
    if name == "matrix_power_eigen":
        return lambda W, t: np.diag(np.linalg.eigvalsh(W) ** t)  # returns Lambda^t, not W^t
    if name == "hidden_state_jacobian":
        return lambda h_next, W: W * (1 - h_next**2)[..., None, :]  # scales columns, not rows
    if name == "gradient_norms_through_time":
        return lambda dHs, X, h0, Hs, U, W: np.linalg.norm(dHs, axis=2)  # ignores the path through time
    if name == "global_norm":
        return lambda grads: float(sum(np.linalg.norm(g) for g in grads.values()))  # sums the norms

    def always_rescale(grads, max_norm):  # also scales up gradients that are already small
        norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        return {k: g * (max_norm / norm) if norm > 0 else g.copy() for k, g in grads.items()}

    return always_rescale


@pytest.mark.parametrize(
    "name, message",
    [
        ("spectral_radius", r"spectral_radius, case 2 of 6 \(a rotation .*\): got 0, expected 2"),
        ("matrix_power_eigen", r"matrix_power_eigen, case 1 of 6 .* entries differ"),
        ("hidden_state_jacobian", r"hidden_state_jacobian, case 2 of 5 \(h_next of shape \(3,\)\)"),
        ("gradient_norms_through_time", r"gradient_norms_through_time, case 3 of 5 .*entries differ"),
        ("global_norm", r"global_norm, case 2 of 4 .*: got .*, expected"),
        ("clip_by_norm", r"clip_by_norm, case 2 of 7 .*\(no clipping\)\), value for key 'w'"),
    ],
)
def test_typical_mistakes_fail_with_a_specific_message(name, message):
    with raises_message(message):
        check_against_reference(name, _bug(name))
