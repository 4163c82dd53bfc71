"""The baselines that chapter 4 sets against ``esn_forecast``: a linear autoregression and a linear reservoir.

Chapter 4 compares the echo state network's one-step forecast of the Mackey-Glass series with two
baselines, fitted on the same training steps as its readout. Which steps train and which state or
lag predicts which value are the decisions task 6 of assignment 4 (``esn_forecast``) leaves to the
student, so the chapter imports these functions instead of printing them: the book's downloadable
sources then do not hold the indices. This hides nothing from a determined reader (the package,
``esn_forecast`` included, is public, and students have it installed); it keeps the answer off the
page that teaches the task. The module is private: the chapter is its only user.
"""

from __future__ import annotations

import numpy as np

from .esn import ridge_readout

__all__ = ["ar_forecast", "linear_forecast"]


def ar_forecast(x, p, n_train, washout):
    """Least-squares AR(p) with a constant, fitted on the readout's steps of ``esn_forecast``.

    Inputs:
    - x: the series, shape (T,).
    - p: the number of lags, an int >= 1 with p <= washout + 1.
    - n_train, washout: as in ``esn_forecast``.

    Returns:
    - the predictions of x[n_train:], shape (T - n_train,).
    """
    x = np.asarray(x, dtype=float)
    n_rows = len(x) - 1 - washout
    lags = np.column_stack([x[washout - j:len(x) - 1 - j] for j in range(p)] + [np.ones(n_rows)])
    n_fit = n_train - 1 - washout  # as many rows as the readout of esn_forecast trains on
    coef = np.linalg.lstsq(lags[:n_fit], x[washout + 1:n_train], rcond=None)[0]
    return lags[n_fit:] @ coef


def linear_forecast(x, U, W, b, n_train, washout, mu):
    """``esn_forecast`` on the same reservoir without tanh: ``h_t = W h_{t-1} + U x_t + b``, from h = 0.

    Inputs:
    - x: the series, shape (T,).
    - U, W, b: the reservoir, shapes (H, 1), (H, H), (H,).
    - n_train, washout, mu: as in ``esn_forecast``.

    Returns:
    - the predictions of x[n_train:], shape (T - n_train,).
    """
    x = np.asarray(x, dtype=float)
    h, states = np.zeros(len(b)), []
    for x_t in x:
        h = W @ h + U[:, 0] * x_t + b
        states.append(h)
    states = np.array(states)
    V, c = ridge_readout(states[washout:n_train - 1], x[washout + 1:n_train, None], mu)
    return states[n_train - 1:-1] @ V[0] + c[0]
