"""Tests for rnncourse.longterm: spectral radius, W^t by eigendecomposition, Jacobians, gradient norms."""

import numpy as np
import pytest

import rnncourse as rc
from rnncourse import gradient_norms_through_time, hidden_state_jacobian, matrix_power_eigen, spectral_radius


def test_spectral_radius_of_known_matrices():
    # [[0, 1], [1, 1]] has eigenvalues (1 +- sqrt 5) / 2; a rotation by 90 degrees has +-i.
    assert spectral_radius(np.array([[0.0, 1.0], [1.0, 1.0]])) == pytest.approx((1 + 5**0.5) / 2, rel=1e-14)
    assert spectral_radius(np.array([[0.0, -2.0], [2.0, 0.0]])) == pytest.approx(2.0, rel=1e-14)
    assert spectral_radius(np.diag([0.3, -0.9, 0.5])) == pytest.approx(0.9, rel=1e-14)
    assert spectral_radius([[5.0]]) == 5.0
    assert isinstance(spectral_radius(np.eye(3)), float)


def test_spectral_radius_is_the_growth_rate_of_powers():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(5, 5)) / np.sqrt(5)
    P = np.linalg.matrix_power(W, 200)
    # Gelfand's formula: ||W^k||^(1/k) tends to rho as k grows.
    rho = spectral_radius(W)
    assert np.linalg.norm(P, 2) ** (1 / 200) == pytest.approx(rho, rel=0.02)


def test_matrix_power_eigen_fibonacci_and_golden_ratio():
    W = np.array([[0.0, 1.0], [1.0, 1.0]])
    # W^t = [[F(t-1), F(t)], [F(t), F(t+1)]] with Fibonacci numbers.
    np.testing.assert_allclose(matrix_power_eigen(W, 10), [[34.0, 55.0], [55.0, 89.0]], rtol=1e-12)
    np.testing.assert_allclose(matrix_power_eigen(W, 0), np.eye(2), atol=1e-14)
    np.testing.assert_allclose(matrix_power_eigen(W, 1), W, atol=1e-14)
    lam = np.linalg.eigvalsh(W)
    assert np.round(lam, 4).tolist() == [-0.618, 1.618]
    assert np.round(lam**10, 4).tolist() == [0.0081, 122.9919]


def test_matrix_power_eigen_against_repeated_products():
    rng = np.random.default_rng(1)
    for H in (1, 3, 6):
        A = rng.normal(size=(H, H))
        W = (A + A.T) / 4
        for t in (2, 7):
            np.testing.assert_allclose(matrix_power_eigen(W, t), np.linalg.matrix_power(W, t), rtol=1e-10, atol=1e-12)


def test_matrix_power_eigen_bad_input():
    with pytest.raises(ValueError, match=r"^W must be symmetric"):
        matrix_power_eigen(np.array([[0.0, 1.0], [0.0, 0.0]]), 2)
    with pytest.raises(ValueError, match=r"^t must be an int >= 0, got -1"):
        matrix_power_eigen(np.eye(2), -1)
    with pytest.raises(ValueError, match=r"^t must be an int >= 0, got 2.0"):
        matrix_power_eigen(np.eye(2), 2.0)
    with pytest.raises(ValueError, match=r"^W has shape \(2, 3\), expected a square matrix"):
        spectral_radius(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^W must have a floating-point dtype"):
        spectral_radius(np.eye(2, dtype=int))


def test_hidden_state_jacobian_against_finite_differences():
    rng = np.random.default_rng(2)
    for N, D, H in [(1, 1, 1), (1, 3, 2), (3, 2, 5)]:
        U, W, b = rng.normal(size=(H, D)), rng.normal(size=(H, H)), rng.normal(size=H)
        x, h = rng.normal(size=(N, D)), rng.uniform(-1, 1, (N, H))
        h_next = rc.rnn_step_forward(x, h, U, W, b)
        J = hidden_state_jacobian(h_next, W)
        assert J.shape == (N, H, H)
        for n in range(N):
            hn = h[n].copy()
            step = lambda v: np.tanh(b + W @ v + U @ x[n])  # noqa: E731
            num = np.stack([rc.numerical_gradient(step, hn, df=np.eye(H)[i]) for i in range(H)])
            assert rc.relative_error(J[n], num) < 1e-7
            # a single state gives the (H, H) Jacobian of that example
            np.testing.assert_array_equal(hidden_state_jacobian(h_next[n], W), J[n])


def test_hidden_state_jacobian_bad_input():
    with pytest.raises(ValueError, match=r"^h_next has shape \(2, 3\), expected \(H,\) or \(N, H\) with H = 4"):
        hidden_state_jacobian(np.zeros((2, 3)), np.eye(4))
    with pytest.raises(ValueError, match=r"^h_next must be 1 or 2-dimensional"):
        hidden_state_jacobian(np.zeros((2, 3, 4)), np.eye(4))


def _setup(rng, N, T, D, H, scale=1.0):
    U, W, b = rng.normal(size=(H, D)), scale * rng.normal(size=(H, H)) / np.sqrt(H), rng.normal(0, 0.3, H)
    X, h0 = rng.normal(size=(N, T, D)), rng.uniform(-1, 1, (N, H))
    return X, h0, U, W, b, rc.rnn_forward(X, h0, U, W, b)


def test_gradient_norms_match_explicit_jacobian_products():
    # A loss on the last state only: dL/dh_t = (J_{t+1})^T ... (J_T)^T g, with J_k = diag(1 - h_k^2) W.
    rng = np.random.default_rng(3)
    N, T, D, H = 2, 6, 3, 4
    X, h0, U, W, b, Hs = _setup(rng, N, T, D, H)
    dHs = np.zeros((N, T, H))
    dHs[:, -1] = rng.normal(size=(N, H))
    norms = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    assert norms.shape == (N, T)
    for n in range(N):
        g = dHs[n, -1]
        for t in range(T - 1, -1, -1):
            assert norms[n, t] == pytest.approx(np.linalg.norm(g), rel=1e-12)
            J = np.diag(1 - Hs[n, t] ** 2) @ W
            g = J.T @ g


def test_gradient_norms_against_finite_differences_of_the_loss():
    # The total gradient on Hs[:, t] is the gradient of L = sum(dHs * Hs) with respect to that state,
    # found by restarting the forward pass from a perturbed state.
    rng = np.random.default_rng(4)
    N, T, D, H = 1, 5, 2, 3
    X, h0, U, W, b, Hs = _setup(rng, N, T, D, H, scale=1.5)
    dHs = rng.normal(size=(N, T, H))
    norms = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    for t in range(T):
        state = Hs[:, t].copy()

        def loss(s, t=t):
            later = rc.rnn_forward(X[:, t + 1:], s, U, W, b) if t + 1 < T else np.zeros((N, 0, H))
            return float(np.sum(dHs[:, t] * s) + np.sum(dHs[:, t + 1:] * later))

        num = rc.numerical_gradient(loss, state)
        assert abs(norms[0, t] - np.linalg.norm(num)) / np.linalg.norm(num) < 1e-7


def test_gradient_norms_agree_with_rnn_backward_at_the_first_step():
    rng = np.random.default_rng(5)
    X, h0, U, W, b, Hs = _setup(rng, 3, 4, 2, 5)
    dHs = rng.normal(size=Hs.shape)
    norms = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    # dh0 of rnn_backward is W^T diag(1 - h_1^2) times the total gradient on h_1
    dh0 = rc.rnn_backward(dHs, X, h0, Hs, U, W)[1]
    total1 = np.linalg.lstsq((W.T * (1 - Hs[0, 0] ** 2)), dh0[0], rcond=None)[0]
    assert np.linalg.norm(total1) == pytest.approx(norms[0, 0], rel=1e-8)
    # T = 1: the norm is the norm of the output gradient
    one = gradient_norms_through_time(dHs[:, :1], X[:, :1], h0, Hs[:, :1], U, W)
    np.testing.assert_allclose(one[:, 0], np.linalg.norm(dHs[:, 0], axis=1), rtol=1e-14)


def test_gradient_norms_bad_input():
    rng = np.random.default_rng(6)
    X, h0, U, W, b, Hs = _setup(rng, 2, 3, 2, 4)
    with pytest.raises(ValueError, match=r"^dHs has shape \(2, 3, 5\), expected \(N, T, H\)"):
        gradient_norms_through_time(np.zeros((2, 3, 5)), X, h0, Hs, U, W)
    with pytest.raises(ValueError, match=r"^Hs has shape \(2, 2, 4\), expected \(N, T, H\)"):
        gradient_norms_through_time(np.zeros((2, 3, 4)), X, h0, Hs[:, :2], U, W)
    with pytest.raises(ValueError, match=r"^W has shape \(4, 3\), expected a square matrix"):
        gradient_norms_through_time(np.zeros((2, 3, 4)), X, h0, Hs, U, W[:, :3])


def test_eigen_components_sum_to_the_power_and_scale_by_their_eigenvalue():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(5, 5))
    W, h0 = (A + A.T) / 3, rng.normal(size=5)
    lam = np.linalg.eigvalsh(W)
    C0, C7 = rc.eigen_components(W, h0, 0), rc.eigen_components(W, h0, 7)
    # rows sum to W^t h0, computed independently by repeated products
    np.testing.assert_allclose(C7.sum(axis=0), np.linalg.matrix_power(W, 7) @ h0, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(C0.sum(axis=0), h0, rtol=1e-12, atol=1e-13)
    # each component is an eigenvector of its eigenvalue, scaled by lambda_i^t
    np.testing.assert_allclose(C7 @ W, lam[:, None] * C7, atol=1e-10)
    np.testing.assert_allclose(C7, lam[:, None] ** 7 * C0, atol=1e-12)
    # the components are orthogonal to each other
    G = C0 @ C0.T
    np.testing.assert_allclose(G - np.diag(np.diag(G)), 0.0, atol=1e-12)


def test_eigen_components_bad_input():
    with pytest.raises(ValueError, match="symmetric"):
        rc.eigen_components(np.array([[0.0, 1.0], [0.0, 0.0]]), np.ones(2), 1)
    with pytest.raises(ValueError, match=r"^h0 has shape \(3,\), expected \(H,\)"):
        rc.eigen_components(np.eye(2), np.ones(3), 1)
    with pytest.raises(ValueError, match="t must be an int"):
        rc.eigen_components(np.eye(2), np.ones(2), 1.5)


def test_gradient_decay_rate_of_a_nearly_linear_network_is_the_spectral_radius():
    # A symmetric W with one eigenvalue rho and the others at most rho / 4: the gradient's
    # norm on h_t shrinks by rho per step once the others have died out, so the fitted rate is
    # close to rho when the inputs are tiny (tanh nearly linear).
    rng = np.random.default_rng(8)
    N, T, D, H = 4, 40, 2, 6
    Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
    for rho in (0.6, 0.9):
        W = (Q * np.r_[rho, rng.uniform(-rho / 4, rho / 4, H - 1)]) @ Q.T
        U, b = 1e-4 * rng.normal(size=(H, D)), np.zeros(H)
        X, h0 = rng.normal(size=(N, T, D)), np.zeros((N, H))
        Hs = rc.rnn_forward(X, h0, U, W, b)
        dHs = np.zeros((N, T, H))
        dHs[:, -1] = rng.normal(size=(N, H))
        measured, predicted = rc.gradient_decay_rate(dHs, X, h0, Hs, U, W)
        assert predicted == pytest.approx(rho, rel=1e-12)
        assert measured == pytest.approx(rho, rel=0.03)
        # the definition: exp of the least-squares slope of the mean log norm against the lag
        norms = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
        lag = np.arange(T)[::-1]
        slope = np.sum((lag - lag.mean()) * np.log(norms).mean(0)) / np.sum((lag - lag.mean()) ** 2)
        assert measured == pytest.approx(np.exp(slope), rel=1e-12)
    with pytest.raises(ValueError, match="zero before the last step"):
        rc.gradient_decay_rate(np.ones((N, T, H)), X, h0, Hs, U, W)


def test_information_flow_gradients_against_finite_differences():
    rng = np.random.default_rng(9)
    N, T, H = 2, 6, 4
    Hs, G, W = np.tanh(rng.normal(size=(N, T, H))), rng.normal(size=(N, T, H)), rng.normal(size=(H, H))
    omega, dW, dHs = rc.information_flow(Hs, G, W)
    assert rc.relative_error(dW, rc.numerical_gradient(lambda _: rc.information_flow(Hs, G, W)[0], W)) < 1e-7
    assert rc.relative_error(dHs, rc.numerical_gradient(lambda _: rc.information_flow(Hs, G, W)[0], Hs)) < 1e-7
    # Omega from its definition, one term at a time
    direct = sum((np.linalg.norm(hidden_state_jacobian(Hs[n, t], W).T @ G[n, t]) / np.linalg.norm(G[n, t]) - 1) ** 2
                 for n in range(N) for t in range(1, T))
    assert omega == pytest.approx(direct, rel=1e-12)
    # an orthogonal W with states at 0 is an isometry: Omega = 0
    Q, _ = np.linalg.qr(rng.normal(size=(H, H)))
    assert rc.information_flow(np.zeros((N, T, H)), G, Q)[0] == pytest.approx(0.0, abs=1e-20)
