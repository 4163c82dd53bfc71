from itertools import accumulate

import numpy as np


def _tanh_rnn(p):
    """The step function h, x -> tanh(b + W h + U x) of one set of parameters."""
    return lambda h, x: np.tanh(p["b"] + h @ p["W"].T + x @ p["U"].T)


def _states(xs, h0, p):
    return list(accumulate(xs, _tanh_rnn(p), initial=h0))[1:]


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    xs = [X[:, t] for t in range(X.shape[1])]
    forward = _states(xs, h0_fwd, fwd)
    backward = _states(xs[::-1], h0_bwd, bwd)[::-1]
    return np.stack([np.concatenate(pair, axis=1) for pair in zip(forward, backward)], axis=1)
