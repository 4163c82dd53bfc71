"""Small data sets the book and the exercises generate themselves (no downloads).

- ``identical_halves``: sequence classification, label 1 when the sequence is
  the concatenation of two identical halves (e.g. (1, 2, 3, 1, 2, 3)).
- ``hello_example``: the four-letter vocabulary {h, e, l, o} and the training
  pair "hell" -> "ello" for a character-level model.
- ``first_symbol_recall``: a long-lag classification task; the label is the symbol shown at
  the first of T steps, followed by T - 1 random distractor symbols (chapter 5).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_index_array

__all__ = ["one_hot", "encode", "decode", "identical_halves", "hello_example", "first_symbol_recall"]


def one_hot(indices, K):
    """One-hot vectors: ``one_hot(i, K)[..., k] = 1.0 if k == i else 0.0``.

    Inputs:
    - indices: integer array of any shape, entries in [0, K).
    - K: number of classes (positive int).

    Returns:
    - float array of shape ``indices.shape + (K,)``.
    """
    if not isinstance(K, (int, np.integer)) or K < 1:
        raise ValueError(f"K must be a positive int, got {K!r}")
    idx = np.asarray(indices)
    idx = as_index_array(idx, "indices", idx.ndim, upper=K)
    return np.eye(K)[idx]


def encode(text, vocab):
    """Map a string to an int array of positions in ``vocab`` (a string or list of symbols)."""
    lookup = {ch: i for i, ch in enumerate(vocab)}
    unknown = sorted({ch for ch in text if ch not in lookup})
    if unknown:
        raise ValueError(f"text contains symbols not in vocab: {unknown!r}; vocab is {list(vocab)!r}")
    return np.array([lookup[ch] for ch in text], dtype=np.int64)


def decode(indices, vocab):
    """Inverse of ``encode``: join the symbols of ``vocab`` at ``indices``."""
    idx = as_index_array(np.asarray(indices), "indices", 1, upper=len(vocab))
    return "".join(vocab[i] for i in idx)


def identical_halves(n, length, vocab_size=10, rng=None, near_miss=0.5):
    """Sequences for the identical-halves task, half of them positive.

    A positive sequence is ``s + s`` for a random ``s`` of ``length // 2``
    symbols. A negative is a random sequence whose halves differ; with
    probability ``near_miss`` it is made from a positive by changing a single
    symbol of the second half, so that a classifier cannot succeed by looking
    at symbol counts or at the first few steps alone.

    Inputs:
    - n: number of sequences (positive int).
    - length: sequence length, an even int >= 2.
    - vocab_size: number of distinct symbols, int >= 2.
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).
    - near_miss: fraction of negatives that differ from a positive in one place.

    Returns:
    - X: int array of symbols, shape (n, length).
    - y: int array of labels in {0, 1}, shape (n,).
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if not isinstance(length, (int, np.integer)) or length < 2 or length % 2:
        raise ValueError(f"length must be an even int >= 2, got {length!r}")
    if not isinstance(vocab_size, (int, np.integer)) or vocab_size < 2:
        raise ValueError(f"vocab_size must be an int >= 2, got {vocab_size!r}")
    if not 0.0 <= near_miss <= 1.0:
        raise ValueError(f"near_miss must be in [0, 1], got {near_miss!r}")
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    half = length // 2
    y = np.zeros(n, dtype=np.int64)
    y[: (n + 1) // 2] = 1
    rng.shuffle(y)
    first = rng.integers(0, vocab_size, size=(n, half))
    second = first.copy()
    for i in np.flatnonzero(y == 0):
        if rng.random() < near_miss:
            j = rng.integers(half)
            second[i, j] = (second[i, j] + rng.integers(1, vocab_size)) % vocab_size
        else:
            while np.array_equal(second[i], first[i]):
                second[i] = rng.integers(0, vocab_size, size=half)
    return np.concatenate([first, second], axis=1), y


def hello_example():
    """The "hello" character example: vocabulary and one training pair.

    The model reads "hell" and is trained to predict the next character at each
    step, i.e. the targets are "ello".

    Returns:
    - vocab: the list ``['h', 'e', 'l', 'o']``.
    - inputs: int array ``encode("hell")`` = [0, 1, 2, 2], shape (4,).
    - targets: int array ``encode("ello")`` = [1, 2, 2, 3], shape (4,).
    """
    vocab = ["h", "e", "l", "o"]
    word = "hello"
    return vocab, encode(word[:-1], vocab), encode(word[1:], vocab)


def first_symbol_recall(n, T, K=4, M=4, rng=None):
    """The first-symbol recall task: read T symbols, then name the first one.

    The first step shows one of K *class* symbols; the other T - 1 steps show *distractor*
    symbols drawn uniformly from M others. Inputs are one-hot over all K + M symbols, class
    symbols first. The label is the first symbol, so a many-to-one classifier that answers
    after the last step has to carry it across T - 1 steps (the lag) while distractors keep
    arriving. The distractors carry no information about the label; guessing gives accuracy 1/K.

    Inputs:
    - n: number of sequences (positive int).
    - T: sequence length, an int >= 1.
    - K: number of class symbols (classes), an int >= 2.
    - M: number of distractor symbols, an int >= 1.
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns:
    - X: float array of one-hot inputs, shape (n, T, K + M); ``X[:, 0, :K]`` holds the
      class symbol, ``X[:, 1:, K:]`` the distractors.
    - y: int array of labels in [0, K), shape (n,); ``y[i]`` is the symbol of ``X[i, 0]``.
    """
    for name, value, minimum in (("n", n, 1), ("T", T, 1), ("K", K, 2), ("M", M, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    y = rng.integers(0, K, size=n)
    symbols = np.concatenate([y[:, None], K + rng.integers(0, M, size=(n, T - 1))], axis=1)
    X = np.zeros((n, T, K + M))
    X[np.arange(n)[:, None], np.arange(T)[None, :], symbols] = 1.0
    return X, y
