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

NAMES = ["eigen_components", "jacobian_product_norms", "gradient_norms_through_time", "gradient_decay_rate",
         "clip_gradients"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes_its_cases_silently(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_small_sizes():
    rng = np.random.default_rng
    assert any(kw["Hs"].shape == (1, 1, 1) for _, kw in CASES["jacobian_product_norms"](rng(0)))
    # a W whose eigenvalues are complex, and one whose largest eigenvalue is negative
    Ws = [kw["W"] for _, kw in CASES["jacobian_product_norms"](rng(0))]
    assert any(np.all(np.abs(np.linalg.eigvals(W).imag) > 0.5) for W in Ws)
    assert any(np.min(np.linalg.eigvals(W).real) < -np.max(np.linalg.eigvals(W).real) for W in Ws)
    # both units, each with a W that is not symmetric and batches whose N, T and H all differ
    for unit in ("tanh", "logistic"):
        mine = [kw for _, kw in CASES["jacobian_product_norms"](rng(0)) if kw["unit"] == unit]
        assert len(mine) >= 4
        assert any(not np.allclose(kw["W"], kw["W"].T) and len(set(kw["Hs"].shape)) == 3 for kw in mine)
        assert any(np.all(np.abs(np.linalg.eigvals(kw["W"]).imag) > 0.5) for kw in mine)
    # logistic states lie in (0, 1), as the forward pass of logistic units gives
    assert all(np.all((kw["Hs"] > 0) & (kw["Hs"] < 1)) for _, kw in CASES["jacobian_product_norms"](rng(0))
               if kw["unit"] == "logistic")
    clip = CASES["clip_gradients"](rng(0))
    assert any(all(not np.any(g) for g in kw["grads"].values()) for _, kw in clip)
    assert any(all(g.dtype == np.float32 for g in kw["grads"].values()) for _, kw in clip)
    assert any(kw["t"] == 0 for _, kw in CASES["eigen_components"](rng(0)))
    assert any(kw["W"].shape == (1, 1) for _, kw in CASES["eigen_components"](rng(0)))
    shapes = [kw["X"].shape for _, kw in CASES["gradient_norms_through_time"](rng(0))]
    assert any(s[0] == 1 for s in shapes) and any(s[1] == 1 for s in shapes)


def _bug(name):
    if name == "jacobian_product_norms":
        def real_parts(Hs, W, unit):  # forgets the modulus of complex eigenvalues
            _, norms, bounds = rnncourse.jacobian_product_norms(Hs, W, unit)
            return float(np.max(np.abs(np.linalg.eigvals(W).real))), norms, bounds
        return real_parts
    if name == "eigen_components":
        # the library shortcut: W^t h0 is right, but it is not split along the eigenvectors
        return lambda W, h0, t: np.diag(np.linalg.matrix_power(W, t) @ h0)
    if name == "gradient_decay_rate":
        def endpoints(dHs, X, h0, Hs, U, W):  # the ratio of the first and last norms, not the fitted slope
            n = rnncourse.gradient_norms_through_time(dHs, X, h0, Hs, U, W).mean(axis=0)
            return float((n[0] / n[-1]) ** (1 / (n.size - 1))), rnncourse.spectral_radius(W)
        return endpoints
    if name == "gradient_norms_through_time":
        return lambda dHs, X, h0, Hs, U, W: np.linalg.norm(dHs, axis=2)  # ignores the path through time

    def always_rescale(grads, max_norm):  # also scales up gradients that are already small
        norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
        return {k: g * (max_norm / norm) if norm > 0 else g.copy() for k, g in grads.items()}, float(norm)

    return always_rescale


def _slopes(Hs, unit):
    """The derivative of the unit, from its output: 1 - h^2 for tanh, h (1 - h) for the logistic sigmoid."""
    return 1.0 - Hs**2 if unit == "tanh" else Hs * (1.0 - Hs)


def _norms_and_bounds(Hs, W, slopes, order="right"):
    """The norms of the products of the step Jacobians diag(slopes[:, t]) W, and the chapter's bound."""
    N, T, H = Hs.shape
    norms, bounds = np.empty((N, T)), np.empty((N, T))
    sigma = np.linalg.norm(W, 2)
    for n in range(N):
        P, bound = np.eye(H), 1.0
        for t in range(T - 1, -1, -1):
            norms[n, t], bounds[n, t] = np.linalg.norm(P, 2), bound
            J = slopes[n, t][:, None] * W
            P = P @ J if order == "right" else J @ P
            bound *= np.max(slopes[n, t]) * sigma
    return float(np.max(np.abs(np.linalg.eigvals(W)))), norms, bounds


def product_in_the_wrong_order(Hs, W, unit):
    """Multiplies each earlier step's Jacobian on the left: the norms of a different product."""
    return _norms_and_bounds(Hs, W, _slopes(Hs, unit), order="left")


def tanh_slope_whatever_the_unit(Hs, W, unit):
    """Reads the chapter's tanh Jacobian and ignores the unit."""
    return _norms_and_bounds(Hs, W, _slopes(Hs, "tanh"))


def logistic_slope_of_the_state_as_if_it_were_the_input(Hs, W, unit):
    """sigma'(h) instead of sigma'(a): the slope at the state, not at the pre-activation that produced it."""
    s = 1 / (1 + np.exp(-Hs))
    return _norms_and_bounds(Hs, W, _slopes(Hs, unit) if unit == "tanh" else s * (1 - s))


def slope_of_the_state_before_the_step(Hs, W, unit):
    before = np.concatenate([np.zeros_like(Hs[:, :1]), Hs[:, :-1]], axis=1)
    if unit == "logistic":
        before[:, 0] = 0.5  # a logistic state with the slope 1/4, as h0 = 0 has for tanh
    return _norms_and_bounds(Hs, W, _slopes(before, unit))


def bound_with_the_largest_possible_slope(Hs, W, unit):
    """(phi'_max ||W||_2)^k: the chapter's loose bound, not the one that reads the slopes off the states."""
    rho, norms, _ = rnncourse.jacobian_product_norms(Hs, W, unit)
    k = Hs.shape[1] - 1 - np.arange(Hs.shape[1])
    largest = 1.0 if unit == "tanh" else 0.25
    return rho, norms, np.broadcast_to((largest * np.linalg.norm(W, 2)) ** k, norms.shape).copy()


def _for_logistic_units_only(wrong):
    def mistaken(Hs, W, unit):
        return (wrong if unit == "logistic" else rnncourse.jacobian_product_norms)(Hs, W, unit)
    return mistaken


def bound_with_the_spectral_radius(Hs, W, unit):
    rho, norms, bounds = rnncourse.jacobian_product_norms(Hs, W, unit)
    k = Hs.shape[1] - 1 - np.arange(Hs.shape[1])
    return rho, norms, bounds * (rho / np.linalg.norm(W, 2)) ** k


def clip_returns_the_norm_after_clipping(grads, max_norm):
    clipped, norm = rnncourse.clip_gradients(grads, max_norm)
    return clipped, min(norm, max_norm)


@pytest.mark.parametrize(
    "name, message",
    [
        ("jacobian_product_norms",
         r"jacobian_product_norms, case 2 of 9 \(a rotation .*\), output rho: got 0, "
                                   r"expected 2"),
        ("eigen_components", r"eigen_components, case 1 of 6 .* entries differ"),
        ("gradient_decay_rate", r"gradient_decay_rate, case 2 of 4 .*output measured"),
        ("gradient_norms_through_time", r"gradient_norms_through_time, case 3 of 6 .*entries differ"),
        ("clip_gradients", r"clip_gradients, case 2 of 8 .*\(no clipping\)\), output clipped\['w'\]"),
    ],
)
def test_typical_mistakes_fail_with_a_specific_message(name, message):
    with raises_message(message):
        check_against_reference(name, _bug(name))


@pytest.mark.parametrize("name, wrong, message", [
    ("jacobian_product_norms", product_in_the_wrong_order, r"case [45] of 9 .*output norms"),
    ("jacobian_product_norms", bound_with_the_spectral_radius, r"case \d of 9 .*output bounds"),
    ("jacobian_product_norms", tanh_slope_whatever_the_unit, r"case [6-9] of 9 \(.*logistic units.*output norms"),
    ("jacobian_product_norms", logistic_slope_of_the_state_as_if_it_were_the_input,
     r"case [6-9] of 9 \(.*logistic units.*output norms"),
    ("jacobian_product_norms", slope_of_the_state_before_the_step,
     r"case [2-5] of 9 \(.*tanh units.*output norms"),
    ("jacobian_product_norms", bound_with_the_largest_possible_slope, r"case [2-5] of 9 \(.*output bounds"),
    # the same mistakes made for logistic units only, with tanh units right: the logistic cases catch them
    ("jacobian_product_norms", _for_logistic_units_only(slope_of_the_state_before_the_step),
     r"case [6-9] of 9 \(.*logistic units.*output norms"),
    ("jacobian_product_norms", _for_logistic_units_only(bound_with_the_largest_possible_slope),
     r"case [6-9] of 9 \(.*logistic units.*output bounds"),
    ("jacobian_product_norms", _for_logistic_units_only(product_in_the_wrong_order),
     r"case [6-9] of 9 \(.*logistic units.*output norms"),
    ("clip_gradients", clip_returns_the_norm_after_clipping, r"clip_gradients, case 1 of 8 .*output norm"),
])
def test_more_mistakes_of_the_merged_tasks(name, wrong, message):
    with raises_message(message):
        check_against_reference(name, wrong)


def test_experiment_accepts_the_reference_and_rejects_wrong_measurements():
    from rnncourse.grading import _run_check

    for seed in range(3):
        _run_check("gradient_decay_rate", "experiment", rnncourse.gradient_decay_rate, seed)

    def no_logarithm(dHs, X, h0, Hs, U, W):  # fits the norms themselves, not their logarithm
        n = rnncourse.gradient_norms_through_time(dHs, X, h0, Hs, U, W).mean(axis=0)
        lag = np.arange(n.size)[::-1]
        return float(np.exp(np.polyfit(lag, n, 1)[0])), rnncourse.spectral_radius(W)

    def lag_reversed(dHs, X, h0, Hs, U, W):  # counts the lag from the first state: the inverse rate
        measured, predicted = rnncourse.gradient_decay_rate(dHs, X, h0, Hs, U, W)
        return 1 / measured, predicted

    def prediction_is_the_measurement(dHs, X, h0, Hs, U, W):  # no prediction at all
        measured = rnncourse.gradient_decay_rate(dHs, X, h0, Hs, U, W)[0]
        return measured, measured

    for wrong, message in [(no_logarithm, "measured rate"), (lag_reversed, "measured rate"),
                           (prediction_is_the_measurement, "predicted rate")]:
        with raises_message(message):
            _run_check("gradient_decay_rate", "experiment", wrong, 0)


def test_a_library_power_does_not_pass_eigen_components():
    def shortcut(W, h0, t):  # W^t h0 spread evenly over the rows: sums right, components wrong
        return np.tile(np.linalg.matrix_power(W, t) @ h0 / len(h0), (len(h0), 1))

    with raises_message(r"eigen_components, case 1 of 6"):
        check_against_reference("eigen_components", shortcut)
