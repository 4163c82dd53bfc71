"""Small data sets the book and the exercises generate themselves (no downloads).

- ``identical_halves``: sequence classification, label 1 when the sequence is
  the concatenation of two identical halves (e.g. (1, 2, 3, 1, 2, 3)).
- ``hello_example``: the four-letter vocabulary {h, e, l, o} and the training
  pair "hell" -> "ello" for a character-level model.
- ``first_symbol_recall``: a long-lag classification task; the label is the symbol shown at
  the first of T steps, followed by T - 1 random distractor symbols (chapter 5).
- ``copy_task`` and ``repeat_copy_task``: the Neural Turing Machine's copy and repeat-copy
  tasks (Graves, Wayne and Danihelka 2014) with random binary vectors.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_index_array

__all__ = ["one_hot", "encode", "decode", "identical_halves", "hello_example", "first_symbol_recall", "copy_task", "repeat_copy_task"]


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
    at the first few steps alone. Symbol counts are not defeated: changing one
    symbol makes two counts odd, so "every symbol occurs an even number of
    times" is right on every positive and every near miss.

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


def first_symbol_recall(n, T, K=4, n_distractors=4, rng=None):
    """The first-symbol recall task: read T symbols, then name the first one.

    The first step shows one of K *class* symbols; the other T - 1 steps show *distractor*
    symbols drawn uniformly from ``n_distractors`` others. Inputs are one-hot over all
    D = K + n_distractors symbols, class
    symbols first. The label is the first symbol, so a many-to-one classifier that answers
    after the last step has to carry it across T - 1 steps (the lag) while distractors keep
    arriving. The distractors carry no information about the label; guessing gives accuracy 1/K.

    Inputs:
    - n: number of sequences (positive int).
    - T: sequence length, an int >= 1.
    - K: number of class symbols (classes), an int >= 2.
    - n_distractors: number of distractor symbols, D - K, an int >= 1.
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns:
    - X: float array of one-hot inputs, shape (n, T, K + n_distractors); ``X[:, 0, :K]`` holds the
      class symbol, ``X[:, 1:, K:]`` the distractors.
    - y: int array of labels in [0, K), shape (n,); ``y[i]`` is the symbol of ``X[i, 0]``.
    """
    for name, value, minimum in (("n", n, 1), ("T", T, 1), ("K", K, 2), ("n_distractors", n_distractors, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    y = rng.integers(0, K, size=n)
    symbols = np.concatenate([y[:, None], K + rng.integers(0, n_distractors, size=(n, T - 1))], axis=1)
    X = np.zeros((n, T, K + n_distractors))
    X[np.arange(n)[:, None], np.arange(T)[None, :], symbols] = 1.0
    return X, y


def _check_task_args(n, length, width, rng):
    for name, value in (("n", n), ("length", length), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    return rng


def copy_task(n, length, width=8, rng=None):
    """The copy task: read ``length`` random binary vectors, then a delimiter, then output them.

    Steps 0..length-1 present the vectors on channels 0..width-1; step ``length`` sets the
    delimiter channel ``width`` and nothing else; during the last ``length`` steps the input
    is zero and the target is the sequence again, in the same order. The targets of the
    first ``length + 1`` steps are zero and are not scored (``mask`` is False there).

    Inputs:
    - n: number of sequences (positive int).
    - length: number of vectors to copy (positive int).
    - width: bits per vector (positive int; Graves et al. use 8).
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns a tuple of:
    - X: inputs, shape (n, 2 length + 1, width + 1), entries 0.0 or 1.0.
    - Y: targets, shape (n, 2 length + 1, width), entries 0.0 or 1.0.
    - mask: bool array of shape (2 length + 1,), True on the steps whose output is scored.
    """
    rng = _check_task_args(n, length, width, rng)
    T = 2 * length + 1
    bits = rng.integers(0, 2, size=(n, length, width)).astype(float)
    X = np.zeros((n, T, width + 1))
    X[:, :length, :width] = bits
    X[:, length, width] = 1.0
    Y = np.zeros((n, T, width))
    Y[:, length + 1:] = bits
    mask = np.zeros(T, dtype=bool)
    mask[length + 1:] = True
    return X, Y, mask


def repeat_copy_task(n, length, repeats, width=8, rng=None):
    """The repeat-copy task: output the sequence ``repeats`` times, then an end marker.

    Steps 0..length-1 present random binary vectors on channels 0..width-1. Step ``length``
    is the delimiter: channel ``width`` is 1 and channel ``width + 1`` holds the number of
    repeats (as a float). Then the input is zero for ``repeats * length + 1`` steps, during
    which the target is the sequence ``repeats`` times over, followed by one step whose only
    nonzero target is the end-marker channel ``width``.

    Inputs:
    - n: number of sequences (positive int).
    - length: number of vectors in the sequence (positive int).
    - repeats: how many copies to output (positive int).
    - width: bits per vector (positive int).
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns a tuple of:
    - X: inputs, shape (n, T, width + 2) with ``T = length + 1 + repeats * length + 1``.
    - Y: targets, shape (n, T, width + 1); channel ``width`` is the end marker.
    - mask: bool array of shape (T,), True on the steps after the delimiter (scored).
    """
    rng = _check_task_args(n, length, width, rng)
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)) or repeats < 1:
        raise ValueError(f"repeats must be a positive int, got {repeats!r}")
    T = length + 1 + repeats * length + 1
    bits = rng.integers(0, 2, size=(n, length, width)).astype(float)
    X = np.zeros((n, T, width + 2))
    X[:, :length, :width] = bits
    X[:, length, width] = 1.0
    X[:, length, width + 1] = float(repeats)
    Y = np.zeros((n, T, width + 1))
    Y[:, length + 1:T - 1, :width] = np.tile(bits, (1, repeats, 1))
    Y[:, T - 1, width] = 1.0
    mask = np.zeros(T, dtype=bool)
    mask[length + 1:] = True
    return X, Y, mask
