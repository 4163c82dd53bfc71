"""Tests for rnncourse.act: the halting distribution by hand, its backward pass against centred
finite differences (float64, relative error < 1e-7, away from the thresholds where nu jumps),
the ACT step against an explicit loop, bad input."""

import numpy as np
import pytest

import rnncourse as rc
from rnncourse import numerical_gradient, relative_error

TOL = 1e-7


def test_halting_distribution_by_hand():
    p_tilde = np.array([[0.3, 0.5, 0.4, 0.1],     # 0.3 + 0.5 + 0.4 >= 0.99: nu = 3, R = 1 - 0.8
                        [0.995, 0.1, 0.1, 0.1],   # halts at once: nu = 1, R = 1
                        [0.1, 0.1, 0.1, 0.1],     # never reaches 0.99: the cap nu_max = 4, R = 0.7
                        [0.5, 0.489, 0.2, 0.0]])  # 0.989 < 0.99: nu = 3, R = 0.011
    p, nu, R = rc.act_halting_distribution(p_tilde, iota=0.01)
    np.testing.assert_array_equal(nu, [3, 1, 4, 3])
    np.testing.assert_allclose(R, [0.2, 1.0, 0.7, 0.011], rtol=1e-12)
    np.testing.assert_allclose(p, [[0.3, 0.5, 0.2, 0], [1, 0, 0, 0], [0.1, 0.1, 0.1, 0.7], [0.5, 0.489, 0.011, 0]],
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert nu.dtype.kind == "i"
    assert rc.ponder_cost(nu, R) == pytest.approx(3 + 1 + 4 + 3 + 0.2 + 1.0 + 0.7 + 0.011, rel=1e-14)


def test_margin_and_single_step():
    # iota = 0: halting needs the full sum 1; nu_max = 1: one step, remainder 1, whatever p~ says.
    p, nu, R = rc.act_halting_distribution(np.array([[0.995, 0.5]]), iota=0.0)
    assert nu[0] == 2 and R[0] == pytest.approx(0.005)
    p, nu, R = rc.act_halting_distribution(np.array([[0.2], [0.9]]))
    np.testing.assert_array_equal(nu, [1, 1])
    np.testing.assert_array_equal(p, [[1.0], [1.0]])


def test_remainder_exceeds_the_margin_whether_halted_or_capped():
    # The halting rule stops at the first n whose running sum reaches 1 - iota, so the sum before
    # nu never does: R > iota for every example, those stopped by the cap nu_max included.
    rng = np.random.default_rng(5)
    for iota in (0.0, 0.01, 0.3):
        p_tilde = rng.uniform(0, 1, (400, 4)) ** rng.uniform(0.2, 5, (400, 1))
        p_tilde[:50] = 1e-3  # never reaches the threshold: capped
        p_tilde[50:60] = [1 - iota - 1e-12, 0.5, 0.5, 0.5]  # just below the threshold at n = 1
        _, nu, R = rc.act_halting_distribution(p_tilde, iota)
        assert (nu[:50] == 4).all() and (R > iota).all() and (R <= 1).all(), (iota, R.min())
        assert R[50:60].min() < iota + 1e-9  # the bound is tight


@pytest.mark.parametrize("N, nu_max", [(1, 1), (3, 4), (6, 8)])
def test_halting_backward_against_finite_differences(N, nu_max):
    rng = np.random.default_rng(nu_max)
    p_tilde = rng.uniform(0.05, 0.45, (N, nu_max))
    # Keep every partial sum at least 1e-3 away from the threshold 1 - iota, so that nu
    # does not jump under the differences.
    cum = np.cumsum(p_tilde, axis=1)
    assert np.all(np.abs(cum - 0.99) > 1e-3)
    dp, dR = rng.normal(size=(N, nu_max)), rng.normal(size=N)
    got = rc.act_halting_distribution_backward(dp, dR, p_tilde, 0.01)

    def f(_):
        p, _, R = rc.act_halting_distribution(p_tilde, 0.01)
        return np.sum(p * dp) + np.sum(R * dR)

    assert got.shape == p_tilde.shape
    assert relative_error(got, numerical_gradient(f, p_tilde)) < TOL


def test_ponder_cost_gradient_is_minus_one_before_nu():
    p_tilde = np.array([[0.3, 0.3, 0.3, 0.3]])
    got = rc.act_halting_distribution_backward(np.zeros((1, 4)), np.ones(1), p_tilde)
    np.testing.assert_array_equal(got, [[-1.0, -1.0, -1.0, 0.0]])


def test_act_step_against_a_loop():
    rng = np.random.default_rng(3)
    N, D, H, nu_max = 3, 2, 4, 6
    x, h_prev = rng.normal(size=(N, D)), rng.uniform(-1, 1, (N, H))
    U, W, b = rng.normal(size=(H, D + 1)), rng.normal(size=(H, H)) / 2, rng.normal(size=H)
    V_halt, c_halt = rng.normal(size=(1, H)), np.array([-1.0])
    h, p, nu, R, Hs = rc.act_step_forward(x, h_prev, U, W, b, V_halt, c_halt, iota=0.01, nu_max=nu_max)
    for n in range(N):
        state, total, mean = h_prev[n], 0.0, np.zeros(H)
        for k in range(1, nu_max + 1):
            state = np.tanh(b + W @ state + U @ np.append(x[n], 1.0 if k == 1 else 0.0))
            np.testing.assert_allclose(Hs[n, k - 1], state, rtol=1e-13)
            halt = 1 / (1 + np.exp(-(c_halt[0] + V_halt[0] @ state)))
            if total + halt >= 0.99 or k == nu_max:
                assert nu[n] == k
                np.testing.assert_allclose(R[n], 1 - total, rtol=1e-13)
                mean += (1 - total) * state
                break
            total += halt
            mean += halt * state
        np.testing.assert_allclose(h[n], mean, rtol=1e-12)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)


@pytest.mark.parametrize("p_tilde, iota, match", [
    (np.array([[0.5, 1.2]]), 0.01, "p_tilde"),
    (np.array([0.5, 0.5]), 0.01, "p_tilde"),
    (np.zeros((1, 0)), 0.01, "p_tilde"),
    (np.array([[0.5, 0.5]]), 1.0, "iota"),
    (np.array([[0.5, 0.5]]), -0.1, "iota"),
])
def test_bad_input(p_tilde, iota, match):
    with pytest.raises(ValueError, match=match):
        rc.act_halting_distribution(p_tilde, iota)


def test_bad_ponder_and_step_input():
    with pytest.raises(ValueError, match="nu"):
        rc.ponder_cost(np.array([0, 1]), np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="R"):
        rc.ponder_cost(np.array([1, 1]), np.array([0.5]))
    with pytest.raises(ValueError, match="U"):
        rc.act_step_forward(np.ones((1, 2)), np.zeros((1, 3)), np.ones((3, 2)), np.eye(3), np.zeros(3),
                            np.ones((1, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="nu_max"):
        rc.act_step_forward(np.ones((1, 2)), np.zeros((1, 3)), np.ones((3, 3)), np.eye(3), np.zeros(3),
                            np.ones((1, 3)), np.zeros(1), nu_max=0)
