"""The private baselines of chapter 4 (rnncourse._baselines), each against an independent route."""

import numpy as np

import rnncourse as rc
from rnncourse._baselines import ar_forecast, linear_forecast


def test_ar_forecast_recovers_an_exact_autoregression():
    # x_{t+1} = 0.6 x_t - 0.3 x_{t-1} + 0.2 exactly: an AR(2) with a constant fitted on the training steps
    # predicts the held-out steps exactly.
    T, n_train, washout = 300, 200, 10
    x = np.zeros(T)
    x[:2] = [0.4, -0.7]
    for t in range(1, T - 1):
        x[t + 1] = 0.6 * x[t] - 0.3 * x[t - 1] + 0.2
    pred = ar_forecast(x, 2, n_train, washout)
    assert pred.shape == (T - n_train,)
    np.testing.assert_allclose(pred, x[n_train:], atol=1e-9)


def test_linear_forecast_with_no_recurrence_is_a_one_lag_autoregression():
    # With W = 0 the state is U x_t + b, an affine function of x_t alone, so the readout's predictions are
    # those of a least-squares AR(1) with a constant (up to the tiny penalty).
    rng = np.random.default_rng(0)
    x = np.sin(0.3 * np.arange(400)) + 0.1 * rng.normal(size=400)
    H = 5
    U, W, b = rng.normal(size=(H, 1)), np.zeros((H, H)), rng.normal(size=H)
    pred = linear_forecast(x, U, W, b, 300, 20, 1e-10)
    np.testing.assert_allclose(pred, ar_forecast(x, 1, 300, 20), atol=1e-6)
    assert rc.nmse(pred, x[300:]) < 1.0
