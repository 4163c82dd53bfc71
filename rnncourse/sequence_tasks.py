"""Many-to-one sequence classifiers (vanilla RNN, LSTM, GRU) and a small trainer (chapter 5).

A classifier reads a whole sequence from the zero state and answers once, after the last
step, with logits ``o = c + V h_T``. The recurrence is one of

- ``"rnn"``: ``h_t = tanh(b + W h_{t-1} + U x_t)``, U (H, D), W (H, H), b (H,);
- ``"lstm"``: ``rnncourse.gated.lstm_forward``, U (4H, D), W (4H, H), b (4H,), blocks
  (i, f, omega, C_tilde), with ``h_0 = C_0 = 0``;
- ``"gru"``: ``rnncourse.gated.gru_forward``, U (3H, D), W (3H, H), b (3H,), blocks
  (r, z, h_tilde).

The loss is the mean cross-entropy of the labels under ``softmax(o)``. Training draws a
fresh batch from a task generator at every update (so there is nothing to overfit), clips
the gradient by its global norm and takes an Adam step.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array, as_index_array
from .activations import log_softmax, softmax
from .bptt import rnn_backward
from .gated import gru_backward, gru_forward, lstm_backward, lstm_forward
from .optim import adam_step, clip_by_norm
from .rnn import rnn_forward

__all__ = [
    "KINDS",
    "init_classifier_params",
    "classifier_logits",
    "classifier_loss_and_grads",
    "classifier_accuracy",
    "train_classifier",
]

#: The recurrences a classifier can use.
KINDS = ("rnn", "lstm", "gru")
_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}
PARAM_NAMES = ("U", "W", "b", "V", "c")


def _check_kind(kind):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _check_params(kind, params):
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict with keys {list(PARAM_NAMES)}, got a {type(params).__name__}")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}, expected keys {list(PARAM_NAMES)}")
    G = _BLOCKS[kind]
    W = np.shape(params["W"])
    if len(W) != 2 or W[0] != G * W[1]:
        label = f"{G}H" if G > 1 else "H"
        raise ValueError(f'params["W"] has shape {W}, expected ({label}, H) for kind {kind!r}')
    V, c = np.shape(params["V"]), np.shape(params["c"])
    if len(V) != 2 or V[1] != W[1]:
        raise ValueError(f'params["V"] has shape {V}, expected (K, H) with H = {W[1]} (from W)')
    if c != (V[0],):
        raise ValueError(f'params["c"] has shape {c}, expected (K,) = ({V[0]},) to match V')


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")


def init_classifier_params(kind, D, H, K, rng=None, forget_bias=1.0):
    """Random parameters of a many-to-one classifier.

    Weights are drawn from N(0, 1/fan_in): U from N(0, 1/D), W and V from N(0, 1/H). Biases
    start at 0, except the block that decides how much of the state is kept per step:
    the LSTM's forget-gate bias ``b^f = b[H:2H]`` starts at ``forget_bias`` (1 by default,
    following Jozefowicz et al. 2015), and the GRU's update-gate bias ``b^z = b[H:2H]`` at
    ``-forget_bias``, so that both keep the same fraction ``sigma(forget_bias)`` of their
    memory per step at the start of training (the GRU keeps ``1 - z``, and
    ``1 - sigma(-a) = sigma(a)``). With the default, that fraction is ``sigma(1) = 0.73``.

    Inputs:
    - kind: "rnn", "lstm" or "gru".
    - D, H, K: input size, hidden size, number of classes (positive ints).
    - rng: a ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).
    - forget_bias: initial forget-gate bias of "lstm" (minus the update-gate bias of "gru";
      not used by "rnn"), a number.

    Returns:
    - params: dict with ``U`` (G*H, D), ``W`` (G*H, H), ``b`` (G*H,), ``V`` (K, H), ``c`` (K,),
      where G = 1, 4, 3 for "rnn", "lstm", "gru".
    """
    _check_kind(kind)
    for name, value in (("D", D), ("H", H), ("K", K)):
        _check_int(value, name, 1)
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real):
        raise ValueError(f"forget_bias must be a number, got {forget_bias!r}")
    G = _BLOCKS[kind]
    b = np.zeros(G * H)
    if kind == "lstm":
        b[H : 2 * H] = forget_bias
    elif kind == "gru":
        b[H : 2 * H] = -forget_bias
    return {
        "U": rng.normal(0.0, 1 / np.sqrt(D), size=(G * H, D)),
        "W": rng.normal(0.0, 1 / np.sqrt(H), size=(G * H, H)),
        "b": b,
        "V": rng.normal(0.0, 1 / np.sqrt(H), size=(K, H)),
        "c": np.zeros(K),
    }


def _states(kind, params, X):
    """Run the recurrence from the zero state: (h0, C0 or None, Hs, Cs or None)."""
    N = X.shape[0]
    H = np.shape(params["W"])[1]
    h0 = np.zeros((N, H))
    U, W, b = params["U"], params["W"], params["b"]
    if kind == "rnn":
        return h0, None, rnn_forward(X, h0, U, W, b), None
    if kind == "lstm":
        C0 = np.zeros((N, H))
        Hs, Cs = lstm_forward(X, h0, C0, U, W, b)
        return h0, C0, Hs, Cs
    return h0, None, gru_forward(X, h0, U, W, b), None


def classifier_logits(kind, params, X):
    """Logits ``o = c + V h_T`` of a many-to-one classifier, from ``h_0 = 0`` (and ``C_0 = 0``).

    Inputs:
    - kind: "rnn", "lstm" or "gru".
    - params: dict from ``init_classifier_params``.
    - X: input sequences, shape (N, T, D).

    Returns:
    - o: logits, shape (N, K).
    """
    _check_kind(kind)
    _check_params(kind, params)
    X = as_float_array(X, "X", 3)
    _, _, Hs, _ = _states(kind, params, X)
    return Hs[:, -1] @ params["V"].T + params["c"]


def classifier_loss_and_grads(kind, params, X, y):
    """Mean cross-entropy of a many-to-one classifier and its gradients by full BPTT.

    Forward: the recurrence from the zero state over all T steps, ``o = c + V h_T`` and
    ``L = -(1/N) sum_n log softmax(o_n)[y_n]``. Backward: ``dL/do = (softmax(o) - onehot(y))/N``,
    ``dL/dV = (dL/do)^T h_T``, ``dL/dc`` its column sums, ``dL/dh_T = (dL/do) V``, and the
    recurrence's backward pass with that gradient on the last state and zero on the others.

    Inputs:
    - kind: "rnn", "lstm" or "gru".
    - params: dict with ``U`` (G*H, D), ``W`` (G*H, H), ``b`` (G*H,), ``V`` (K, H), ``c`` (K,).
    - X: input sequences, shape (N, T, D), T >= 1.
    - y: integer labels, shape (N,), each in [0, K).

    Returns a tuple of:
    - loss: a Python float.
    - grads: dict with the keys of ``params``, each gradient shaped like its parameter.
    """
    _check_kind(kind)
    _check_params(kind, params)
    X = as_float_array(X, "X", 3)
    N, T, _ = X.shape
    if N < 1 or T < 1:
        raise ValueError(f"X has shape {X.shape}, expected (N, T, D) with N >= 1 and T >= 1")
    V, c = params["V"], params["c"]
    K = np.shape(V)[0]
    y = as_index_array(y, "y", 1, upper=K)
    if y.shape != (N,):
        raise ValueError(f"y has shape {y.shape}, expected (N,) = ({N},) to match X")
    h0, C0, Hs, Cs = _states(kind, params, X)
    h_T = Hs[:, -1]
    o = h_T @ V.T + c
    rows = np.arange(N)
    loss = float(-log_softmax(o)[rows, y].sum() / N)
    do = softmax(o)
    do[rows, y] -= 1.0
    do /= N
    dHs = np.zeros_like(Hs)
    dHs[:, -1] = do @ V
    U, W, b = params["U"], params["W"], params["b"]
    if kind == "rnn":
        _, _, dU, dW, db = rnn_backward(dHs, X, h0, Hs, U, W)
    elif kind == "lstm":
        _, _, _, dU, dW, db = lstm_backward(dHs, X, h0, C0, Hs, Cs, U, W, b)
    else:
        _, _, dU, dW, db = gru_backward(dHs, X, h0, Hs, U, W, b)
    return loss, {"U": dU, "W": dW, "b": db, "V": do.T @ h_T, "c": do.sum(axis=0)}


def classifier_accuracy(kind, params, X, y):
    """Share of sequences whose largest logit is at the label.

    Inputs:
    - kind, params, X: as for ``classifier_logits``; X has shape (N, T, D).
    - y: integer labels, shape (N,).

    Returns:
    - accuracy: a Python float in [0, 1].
    """
    o = classifier_logits(kind, params, X)
    y = as_index_array(y, "y", 1, upper=o.shape[1])
    if y.shape != (o.shape[0],):
        raise ValueError(f"y has shape {y.shape}, expected (N,) = ({o.shape[0]},) to match X")
    return float(np.mean(np.argmax(o, axis=1) == y))


def train_classifier(kind, params, task, n_steps, batch_size, rng, lr=1e-2, max_norm=1.0, stop_below=None):
    """Train a many-to-one classifier with Adam and gradient-norm clipping; ``params`` in place.

    Every update draws a fresh batch ``X, y = task(batch_size, rng)``, computes
    ``classifier_loss_and_grads``, rescales the gradient to global norm ``max_norm`` when it
    is longer (``clip_by_norm``) and takes one ``adam_step`` with step size ``lr``. With
    ``stop_below``, training ends early once the mean loss of the last 10 updates is below it.

    Inputs:
    - kind: "rnn", "lstm" or "gru".
    - params: dict from ``init_classifier_params``; updated in place.
    - task: a function ``task(n, rng)`` returning ``X`` (n, T, D) and ``y`` (n,) int, for
      instance ``lambda n, rng: first_symbol_recall(n, T, K, rng=rng)``.
    - n_steps: number of updates, a positive int.
    - batch_size: sequences per update, a positive int.
    - rng: the ``numpy.random.Generator`` that the task draws from.
    - lr: Adam's step size eta, a positive number.
    - max_norm: the clipping threshold g_max, a positive number.
    - stop_below: None, or a positive number: the loss at which training stops early.

    Returns:
    - losses: float array of shape (S,), S <= n_steps the number of updates taken;
      ``losses[i]`` is the loss of the i-th batch before its update.
    """
    _check_kind(kind)
    _check_params(kind, params)
    if not callable(task):
        raise ValueError(f"task must be a function task(n, rng) -> (X, y), got a {type(task).__name__}")
    _check_int(n_steps, "n_steps", 1)
    _check_int(batch_size, "batch_size", 1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    for name, value in (("lr", lr), ("max_norm", max_norm)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    if stop_below is not None and (
        isinstance(stop_below, bool) or not isinstance(stop_below, numbers.Real) or not stop_below > 0
    ):
        raise ValueError(f"stop_below must be None or a positive number, got {stop_below!r}")
    losses = np.empty(n_steps)
    state = {}
    for step in range(n_steps):
        X, y = task(batch_size, rng)
        losses[step], grads = classifier_loss_and_grads(kind, params, X, y)
        adam_step(params, clip_by_norm(grads, max_norm), state, lr=lr)
        if stop_below is not None and step >= 9 and losses[step - 9 : step + 1].mean() < stop_below:
            return losses[: step + 1].copy()
    return losses
