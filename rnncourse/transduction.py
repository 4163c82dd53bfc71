"""A digit-string transduction task for chapters 6 and 7, and a compact trainer.

The task: read a string of T_x random digits and write it reversed (``task="reverse"``) or
sorted (``task="sort"``), then ``<eos>``. One vocabulary of K = 13 tokens serves both sides:

    0 <pad>   1 <bos>   2 <eos>   3 .. 12  the digits 0 .. 9

Sources are one-hot over the whole vocabulary (D = K), so one ``one_hot`` call makes them.
Every batch is generated on the fly from a seeded generator; sequences in a batch share one
length, so ``<pad>`` never occurs in a batch: it is the filler that the decoders write after
``<eos>`` (``pad=PAD``) and the token a variable-length extension would use.

``train_transduction`` trains an encoder-decoder of ``rnncourse.seq2seq`` (``attention=False``)
or ``rnncourse.attention`` (``attention=True``) with teacher forcing, Adam
(``rnncourse.optim.adam_step``) and clipping of the global gradient norm
(``rnncourse.optim.clip_by_norm``), on a fresh batch every update.
``transduction_accuracy`` decodes greedily and scores the outputs.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np

from .attention import attention_greedy_decode, attention_seq2seq_loss_and_grads
from .data import one_hot
from .optim import adam_step, clip_by_norm
from .seq2seq import check_rng, greedy_decode, seq2seq_loss_and_grads

__all__ = [
    "PAD",
    "BOS",
    "EOS",
    "TRANSDUCTION_VOCAB",
    "digit_transduction_task",
    "train_transduction",
    "transduction_accuracy",
]

PAD, BOS, EOS = 0, 1, 2
TRANSDUCTION_VOCAB = ("<pad>", "<bos>", "<eos>") + tuple("0123456789")
_TASKS = ("reverse", "sort")


def _check_int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return int(value)


def digit_transduction_task(n, length, task="reverse", rng=None):
    """A batch of the digit task: sources, teacher-forced decoder inputs and targets.

    Inputs:
    - n: number of sequences, a positive int.
    - length: the source length T_x, a positive int; the targets have T_y = T_x + 1 steps.
    - task: ``"reverse"`` (write the digits in reverse order) or ``"sort"`` (in ascending order).
    - rng: a ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns a tuple of:
    - src: source tokens, int array (n, T_x), digits 3 .. 12 (``one_hot(src, 13)`` is the X
      that the encoders read).
    - Y_in: decoder inputs, int array (n, T_x + 1): ``BOS`` then the target digits.
    - Y: targets, int array (n, T_x + 1): the target digits then ``EOS``.
    """
    n = _check_int(n, "n", 1)
    length = _check_int(length, "length", 1)
    if task not in _TASKS:
        raise ValueError(f"task must be one of {list(_TASKS)}, got {task!r}")
    rng = check_rng(rng)
    src = rng.integers(3, 13, size=(n, length))
    out = src[:, ::-1] if task == "reverse" else np.sort(src, axis=1)
    Y_in = np.concatenate([np.full((n, 1), BOS), out], axis=1)
    Y = np.concatenate([out, np.full((n, 1), EOS)], axis=1)
    return src, Y_in, Y


def _flatten(tree, prefix=""):
    """{"fwd": {"U": a}} -> {"fwd.U": a}, sharing the arrays (Adam updates them in place)."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def train_transduction(
    enc,
    dec,
    length,
    n_steps,
    attention=False,
    cell="rnn",
    task="reverse",
    batch_size=32,
    lr=0.003,
    max_norm=1.0,
    rng=None,
    progress=False,
    adam_state=None,
):
    """Train an encoder-decoder on the digit task; ``enc`` and ``dec`` are updated in place.

    Each update draws a fresh batch of ``batch_size`` sources of ``length`` digits, computes
    the teacher-forced loss and its gradients, scales the gradients down to global norm
    ``max_norm`` if they are longer, and takes one Adam step of size ``lr``.

    Inputs:
    - enc, dec: parameters from ``init_seq2seq_params`` (``attention=False``) or
      ``init_attention_seq2seq_params`` (``attention=True``), with D = K = 13.
    - length: source length T_x, a positive int.
    - n_steps: number of updates, a positive int.
    - attention: which model the parameters belong to.
    - cell: ``"rnn"`` or ``"gru"``.
    - task: ``"reverse"`` or ``"sort"``.
    - batch_size: sequences per update; lr: Adam's step size; max_norm: the clipping threshold.
      The defaults are the chapters' settings: with a vanilla bidirectional encoder of H = 32 per
      direction, 600 updates take about 1.3 s of CPU time at T_x = 9 (2.7 s with attention), and
      a step of 0.01 trained the larger models (H = 64) clearly worse than 0.003.
    - rng: a ``numpy.random.Generator`` for the batches (default ``np.random.default_rng(0)``).
    - progress: print a one-line progress bar to stdout (overwritten in place) when True.
    - adam_state: a dict that holds Adam's running means and step count (``adam_step``'s
      ``state``), or None (the default: a fresh one). Passing the same dict, and the same
      ``rng``, to consecutive calls continues one run: two calls of 300 updates then train
      exactly as one call of 600, which lets a caller evaluate the model at checkpoints.

    Returns:
    - losses: float array (n_steps,), the loss of each update's batch before the update,
      divided by T_y (a loss per target token).
    """
    length = _check_int(length, "length", 1)
    n_steps = _check_int(n_steps, "n_steps", 1)
    batch_size = _check_int(batch_size, "batch_size", 1)
    for name, value in (("lr", lr), ("max_norm", max_norm)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    rng = check_rng(rng)
    loss_and_grads = attention_seq2seq_loss_and_grads if attention else seq2seq_loss_and_grads
    params = _flatten({"enc": enc, "dec": dec})
    if adam_state is not None and not isinstance(adam_state, dict):
        raise ValueError(f"adam_state must be a dict or None, got a {type(adam_state).__name__}")
    state = {} if adam_state is None else adam_state
    losses = np.empty(n_steps)
    K = len(TRANSDUCTION_VOCAB)
    for i in range(n_steps):
        src, Y_in, Y = digit_transduction_task(batch_size, length, task, rng)
        loss, denc, ddec = loss_and_grads(one_hot(src, K), Y_in, Y, enc, dec, cell)
        grads = clip_by_norm(_flatten({"enc": denc, "dec": ddec}), max_norm)
        adam_step(params, grads, state, lr=lr)
        losses[i] = loss / Y.shape[1]
        if progress and ((i + 1) % max(1, n_steps // 50) == 0 or i + 1 == n_steps):
            done = (i + 1) * 30 // n_steps
            sys.stdout.write(f"\r[{'#' * done}{'.' * (30 - done)}] {i + 1}/{n_steps} loss/token {losses[i]:.3f}")
            sys.stdout.flush()
    if progress:
        sys.stdout.write("\n")
    return losses


def transduction_accuracy(enc, dec, length, n=500, attention=False, cell="rnn", task="reverse", rng=None):
    """Greedy-decoding accuracy on fresh sequences of the digit task.

    Inputs:
    - enc, dec, attention, cell, task: as in ``train_transduction``.
    - length: source length T_x; n: number of test sequences (positive ints).
    - rng: a ``numpy.random.Generator`` (default ``np.random.default_rng(1)``, not the
      training default, so that the test strings are not the first training batch).

    Returns a tuple of:
    - sequence_accuracy: fraction of sequences whose T_x + 1 emitted tokens (digits and eos)
      are all right, a float.
    - token_accuracy: fraction of the n (T_x + 1) target positions emitted right, a float.
    """
    length = _check_int(length, "length", 1)
    n = _check_int(n, "n", 1)
    rng = np.random.default_rng(1) if rng is None else check_rng(rng)
    src, _, Y = digit_transduction_task(n, length, task, rng)
    X = one_hot(src, len(TRANSDUCTION_VOCAB))
    T_y = Y.shape[1]
    if attention:
        tokens, _ = attention_greedy_decode(X, enc, dec, BOS, EOS, T_y, cell, pad=PAD)
    else:
        tokens = greedy_decode(X, enc, dec, BOS, EOS, T_y, cell, pad=PAD)
    out = np.full(Y.shape, PAD)
    out[:, : tokens.shape[1]] = tokens  # decoding may stop early when every sequence emitted eos
    right = out == Y
    return float(right.all(axis=1).mean()), float(right.mean())
