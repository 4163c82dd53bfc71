"""The vanilla (Elman) recurrent network: forward passes.

Notation (see the book's notation table): inputs ``x_t`` in R^D, hidden state
``h_t`` in R^H, logits ``o_t`` in R^K, parameters ``U`` (H x D), ``W`` (H x H),
``b`` (H,), ``V`` (K x H), ``c`` (K,). The math uses column vectors,

    a_t = b + W h_{t-1} + U x_t,    h_t = tanh(a_t),    o_t = c + V h_t,

and the code keeps the same parameter shapes with the batch on rows, so that
``W h_{t-1}`` becomes ``h_prev @ W.T``.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape

__all__ = [
    "init_rnn_params",
    "rnn_step_forward",
    "rnn_forward",
    "output_forward",
    "many_to_one_forward",
    "stacked_rnn_forward",
]


def init_rnn_params(D, H, K, rng=None, scale=None):
    """Random parameters for an RNN with a softmax output layer.

    ``U``, ``W`` and ``V`` are drawn from N(0, scale^2) with ``scale = 1/sqrt(fan_in)``
    unless given, so that pre-activations start with unit variance; biases start at 0.

    Inputs:
    - D, H, K: input size, hidden size, number of output classes (positive ints).
    - rng: a ``numpy.random.Generator`` (default: ``np.random.default_rng(0)``).
    - scale: standard deviation of the weights, or None for the fan-in default.

    Returns:
    - params: dict with ``U`` (H, D), ``W`` (H, H), ``b`` (H,), ``V`` (K, H), ``c`` (K,).
    """
    for name, value in (("D", D), ("H", H), ("K", K)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    su = 1 / np.sqrt(D) if scale is None else scale
    sw = 1 / np.sqrt(H) if scale is None else scale
    return {
        "U": rng.normal(0.0, su, size=(H, D)),
        "W": rng.normal(0.0, sw, size=(H, H)),
        "b": np.zeros(H),
        "V": rng.normal(0.0, sw, size=(K, H)),
        "c": np.zeros(K),
    }


def _check_cell(x, h_prev, U, W, b, x_name="x", h_name="h_prev"):
    """Validate one step's arguments; return them as float arrays."""
    x = as_float_array(x, x_name, 2)
    h_prev = as_float_array(h_prev, h_name, 2)
    U = as_float_array(U, "U", 2)
    W = as_float_array(W, "W", 2)
    b = as_float_array(b, "b", 1)
    N, D = x.shape
    H = W.shape[0]
    check_shape(W, "W", (H, H), "(H, H)")
    check_shape(U, "U", (H, D), "(H, D)")
    check_shape(b, "b", (H,), "(H,)")
    check_shape(h_prev, h_name, (N, H), "(N, H)")
    return x, h_prev, U, W, b


def rnn_step_forward(x, h_prev, U, W, b):
    """One step of the vanilla RNN: ``h_t = tanh(b + W h_{t-1} + U x_t)``.

    Inputs:
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).
    - b: hidden bias, shape (H,).

    Returns:
    - h: the new hidden state, shape (N, H).
    """
    x, h_prev, U, W, b = _check_cell(x, h_prev, U, W, b)
    return np.tanh(x @ U.T + b + h_prev @ W.T)


def input_projection(X, U, b, dtype):
    """``X @ U.T + b`` for every step at once, shape (N, T, H), for inputs already checked.

    The input term does not depend on the recurrence: one product for all N*T rows
    instead of T small ones, so that the per-step loop only does the recurrent product.
    Every recurrence built on ``a_t = b + W h_{t-1} + U x_t`` (vanilla, leaky, and the
    stacked gates of ``gated``, with U of shape (G*H, D)) computes it here, so that they
    agree to the last bit where their equations agree.
    """
    N, T, D = X.shape
    # Cast before the product, so that float32 inputs never pass through a float64 temporary.
    XU = X.reshape(N * T, D).astype(dtype, copy=False) @ U.T.astype(dtype, copy=False)
    XU += b
    return XU.reshape(N, T, U.shape[0])


def _rnn_cell(xu, h_prev, W, h_next):
    """One step without checks, for loops whose inputs were checked once: ``h_next = tanh(xu + h_prev W^T)``.

    ``xu`` is this step's ``x @ U.T + b``, computed for the whole sequence before the loop;
    the result is written into ``h_next`` (N, H), a slice of the caller's output buffer.
    """
    np.matmul(h_prev, W.T, out=h_next)
    h_next += xu
    np.tanh(h_next, out=h_next)


def rnn_forward(X, h0, U, W, b):
    """Run the vanilla RNN over a whole sequence, with the same U, W, b at every step.

    Inputs:
    - X: input sequence, shape (N, T, D); ``X[:, t]`` is the input at step t.
    - h0: initial hidden state, shape (N, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).
    - b: hidden bias, shape (H,).

    Returns:
    - Hs: hidden states for every step, shape (N, T, H); ``Hs[:, t]`` is the
      state after reading ``X[:, t]``, which the book's 1-based count calls
      h_{t+1} (h0 itself is not included).
    """
    X = as_float_array(X, "X", 3)
    if X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    _, h0, U, W, b = _check_cell(X[:, 0], h0, U, W, b, x_name="X[:, 0]", h_name="h0")
    N, T, D = X.shape
    H = W.shape[0]
    dtype = np.result_type(X, h0, U, W, b)
    XU = input_projection(X, U, b, dtype)
    Hs = np.empty((N, T, H), dtype=dtype)
    h = h0.astype(dtype, copy=False)
    for t in range(T):
        _rnn_cell(XU[:, t], h, W, Hs[:, t])
        h = Hs[:, t]
    return Hs


def output_forward(Hs, V, c):
    """Output layer applied at every step: ``o_t = c + V h_t``.

    Inputs:
    - Hs: hidden states, shape (N, T, H) (or (N, H) for a single step).
    - V: hidden-to-output weights, shape (K, H).
    - c: output bias, shape (K,).

    Returns:
    - O: logits, shape (N, T, K) (or (N, K) for a single step).
    """
    Hs = as_float_array(Hs, "Hs", (2, 3))
    V = as_float_array(V, "V", 2)
    c = as_float_array(c, "c", 1)
    K, H = V.shape
    if Hs.shape[-1] != H:
        raise ValueError(
            f"V has shape {V.shape}, expected (K, H) with H = {Hs.shape[-1]} (the last dimension "
            f"of the hidden states Hs, shape {Hs.shape}); is V transposed?"
        )
    check_shape(c, "c", (K,), "(K,)")
    return Hs @ V.T + c


def many_to_one_forward(X, h0, U, W, b, V, c):
    """Many-to-one classifier: read the whole sequence, predict from the last state.

    ``h_t = tanh(b + W h_{t-1} + U x_t)`` for t = 1..T, then ``o = c + V h_T``.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).
    - b: hidden bias, shape (H,).
    - V: hidden-to-output weights, shape (K, H).
    - c: output bias, shape (K,).

    Returns:
    - o: class logits for each sequence, shape (N, K).
    """
    Hs = rnn_forward(X, h0, U, W, b)
    return output_forward(Hs[:, -1], V, c)


def stacked_rnn_forward(X, h0s, layers):
    """A deep RNN: layer l reads the hidden states of layer l-1 as its input sequence.

    ``h^(l)_t = tanh(b^(l) + W^(l) h^(l)_{t-1} + U^(l) h^(l-1)_t)`` with ``h^(0)_t = x_t``.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0s: list of L initial states; ``h0s[l]`` has shape (N, H_l).
    - layers: list of L dicts with keys ``U`` (H_l, H_{l-1}), ``W`` (H_l, H_l)
      and ``b`` (H_l,), where H_0 = D.

    Returns:
    - Hs_list: list of L arrays; ``Hs_list[l]`` has shape (N, T, H_l).
    """
    if len(h0s) != len(layers):
        raise ValueError(
            f"h0s has {len(h0s)} initial states but layers has {len(layers)} layers; "
            "expected one initial state per layer"
        )
    if len(layers) == 0:
        raise ValueError("layers is empty, expected at least one layer")
    Hs_list = []
    inputs = X
    for l, (h0, layer) in enumerate(zip(h0s, layers)):
        missing = {"U", "W", "b"} - set(layer)
        if missing:
            raise ValueError(f"layers[{l}] is missing {sorted(missing)}, expected keys U, W, b")
        try:
            inputs = rnn_forward(inputs, h0, layer["U"], layer["W"], layer["b"])
        except ValueError as err:
            raise ValueError(f"layer {l}: {err}") from None
        Hs_list.append(inputs)
    return Hs_list
