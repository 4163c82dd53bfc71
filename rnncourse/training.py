"""Training a many-to-many vanilla RNN: loss and gradients, truncated BPTT, sampling.

``rnn_loss_and_grads`` runs the forward pass over a batch of sequences and
backpropagates through all of its steps. ``train_truncated_bptt`` walks along
long sequences in chunks: it carries the hidden state from one chunk to the
next (the forward pass sees the whole past) but backpropagates only within a
chunk, and takes one gradient step per chunk. ``sample`` draws a sequence from
a trained model, feeding each sampled symbol back as the next input.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array, as_index_array, check_shape
from .activations import softmax
from .bptt import output_backward, rnn_backward
from .losses import sequence_cross_entropy, sequence_cross_entropy_backward
from .optim import sgd_step
from .rnn import output_forward, rnn_forward, rnn_step_forward

__all__ = ["PARAM_NAMES", "rnn_loss_and_grads", "train_truncated_bptt", "sample"]

#: The parameters of a vanilla RNN with a softmax output, in the book's order.
PARAM_NAMES = ("U", "W", "b", "V", "c")


def _check_params(params):
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict with keys {list(PARAM_NAMES)}, got a {type(params).__name__}")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}, expected keys {list(PARAM_NAMES)}")


def rnn_loss_and_grads(params, X, Y, h0):
    """Loss of a many-to-many RNN on a batch of sequences, and its gradients by full BPTT.

    Forward: ``h_t = tanh(b + W h_{t-1} + U x_t)`` from ``h0``, ``o_t = c + V h_t``, and the
    loss of ``sequence_cross_entropy`` (summed over time, averaged over the batch).
    Backward: the gradient of that loss with respect to every parameter, through all
    T steps.

    Inputs:
    - params: dict with ``U`` (H, D), ``W`` (H, H), ``b`` (H,), ``V`` (K, H), ``c`` (K,).
    - X: input sequence, shape (N, T, D).
    - Y: integer targets, shape (N, T), each in [0, K).
    - h0: initial hidden state, shape (N, H).

    Returns a tuple of:
    - loss: a Python float.
    - grads: dict with the keys ``U``, ``W``, ``b``, ``V``, ``c``; each gradient has the
      shape of its parameter.
    - h_last: the hidden state after the last step, shape (N, H); a longer sequence's
      next chunk starts from it.
    """
    _check_params(params)
    U, W, b, V, c = (params[k] for k in PARAM_NAMES)
    Hs = rnn_forward(X, h0, U, W, b)
    O = output_forward(Hs, V, c)
    loss = sequence_cross_entropy(O, Y)
    dO = sequence_cross_entropy_backward(O, Y)
    dHs, dV, dc = output_backward(dO, Hs, V)
    _, _, dU, dW, db = rnn_backward(dHs, X, h0, Hs, U, W)
    return loss, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}, Hs[:, -1]


def train_truncated_bptt(params, X, Y, chunk_length, lr, n_steps, h0=None, print_every=0):
    """Train with truncated BPTT and gradient descent; ``params`` is updated in place.

    The T steps of the sequences are cut into consecutive chunks of ``chunk_length``
    steps (the last chunk may be shorter). Each of the ``n_steps`` updates takes the
    next chunk, computes its loss and gradients with ``rnn_loss_and_grads`` starting
    from the hidden state where the previous chunk ended, and applies
    ``theta <- theta - lr * grad``. After the last chunk it starts again at step 0
    from ``h0``. With ``chunk_length >= T`` every update is full BPTT.

    Inputs:
    - params: dict with ``U`` (H, D), ``W`` (H, H), ``b`` (H,), ``V`` (K, H), ``c`` (K,);
      updated in place.
    - X: input sequences, shape (N, T, D).
    - Y: integer targets, shape (N, T), each in [0, K).
    - chunk_length: number of steps per chunk, a positive int.
    - lr: learning rate, a positive number.
    - n_steps: number of updates (chunks processed), a positive int.
    - h0: initial hidden state, shape (N, H), or None for zeros.
    - print_every: if positive, print the loss every ``print_every`` updates.

    Returns:
    - losses: float array of shape (n_steps,); ``losses[i]`` is the loss of the i-th
      chunk before its update, divided by the chunk's length (a loss per time step,
      comparable between chunk lengths).
    """
    _check_params(params)
    for name, value in (("chunk_length", chunk_length), ("n_steps", n_steps)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if isinstance(print_every, bool) or not isinstance(print_every, (int, np.integer)) or print_every < 0:
        raise ValueError(f"print_every must be an int >= 0, got {print_every!r}")
    X = as_float_array(X, "X", 3)
    N, T, _ = X.shape
    if T < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    Y = as_index_array(Y, "Y", 2)
    if Y.shape != (N, T):
        raise ValueError(f"Y has shape {Y.shape}, expected (N, T) = {(N, T)} to match X")
    H = np.shape(params["W"])[0]
    h0 = np.zeros((N, H)) if h0 is None else as_float_array(h0, "h0", 2)
    check_shape(h0, "h0", (N, H), "(N, H)")
    losses = np.empty(n_steps)
    start, h = 0, h0
    for i in range(n_steps):
        end = min(start + chunk_length, T)
        loss, grads, h = rnn_loss_and_grads(params, X[:, start:end], Y[:, start:end], h)
        sgd_step(params, grads, lr)
        losses[i] = loss / (end - start)
        if print_every and (i + 1) % print_every == 0:
            print(f"update {i + 1:>5}/{n_steps}: loss per step {losses[i]:.4f}")
        start = end
        if start >= T:  # end of the sequences: start again from the beginning
            start, h = 0, h0
    return losses


def sample(params, h0, first_index, n, rng, temperature=1.0):
    """Draw ``n`` symbols from a trained RNN, feeding each one back as the next input.

    The inputs are one-hot vectors over the K output classes (so D = K). Starting
    from ``h0`` and the symbol ``first_index``, each step computes
    ``h_t = tanh(b + W h_{t-1} + U x_t)`` and ``o_t = c + V h_t``, draws the next
    symbol from ``softmax(o_t / temperature)`` and feeds it in at the next step.

    Inputs:
    - params: dict with ``U`` (H, K), ``W`` (H, H), ``b`` (H,), ``V`` (K, H), ``c`` (K,).
    - h0: initial hidden state, shape (H,).
    - first_index: the first input symbol, an int in [0, K).
    - n: number of symbols to draw, an int >= 0.
    - rng: a ``numpy.random.Generator``.
    - temperature: a positive number; below 1 sharpens the distribution, above 1 flattens it.

    Returns:
    - indices: int array of shape (n,), the drawn symbols (``first_index`` not included).
    """
    _check_params(params)
    U, W, b, V, c = (params[k] for k in PARAM_NAMES)
    K = np.shape(V)[0]
    if np.shape(U)[1] != K:
        raise ValueError(f"U has shape {np.shape(U)}, expected (H, K) = ({np.shape(U)[0]}, {K}): inputs are one-hot over the K classes")
    h = as_float_array(h0, "h0", 1)
    check_shape(h, "h0", (np.shape(W)[0],), "(H,)")
    if isinstance(first_index, bool) or not isinstance(first_index, (int, np.integer)) or not 0 <= first_index < K:
        raise ValueError(f"first_index must be an int in [0, {K}), got {first_index!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not temperature > 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    h = h[None, :]
    x = np.zeros((1, K))
    x[0, first_index] = 1.0
    out = np.empty(n, dtype=np.int64)
    for t in range(n):
        h = rnn_step_forward(x, h, U, W, b)
        p = softmax(output_forward(h, V, c)[0] / temperature)
        out[t] = rng.choice(K, p=p)
        x[:] = 0.0
        x[0, out[t]] = 1.0
    return out
