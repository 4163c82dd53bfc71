"""Character-level language models (chapter 9): data, an LSTM model, sampling, evaluation, n-grams.

A character-level language model reads a text one character at a time and, at every step t,
gives a distribution over the next character: the input is ``x_t = onehot(y_{t-1})`` (so the
input size D equals the vocabulary size K), the model is the LSTM of chapter 5, and the output
is ``yhat_t = softmax(o_t)`` with ``o_t = c + V h_t``. Training minimises the cross-entropy of
the next character, summed over time, which is maximum likelihood; evaluation reports it per
character, as a perplexity ``PPL = exp(L / T)`` or in bits per character ``bpc = L / (T ln 2)``.

The pieces, in the order the book uses them:

- data: ``python_corpus`` (text read from the interpreter's own standard library, a fixed list
  of files, no download), ``build_vocab``, ``encode_text``, ``decode_text`` (characters outside
  the vocabulary map to ``UNKNOWN`` when the vocabulary has it, and are refused otherwise),
  ``batch_stream`` and ``truncated_bptt_chunks`` (a long stream cut into N parallel rows, then
  into chunks of ``chunk_length`` steps whose state carries over from chunk to chunk);
- the model: ``init_lm_params``, ``lm_forward``, ``lm_loss_and_grads`` (the gradient comes from
  ``gated.lstm_backward`` and ``bptt.output_backward``), ``lm_train_step`` (clipping by the
  global norm, then Adam, both from ``optim``), ``train_lm`` (the loop, with a progress line),
  ``evaluate_lm`` (loss per character on held-out text); ``lstm_chunk`` and ``tbptt_step``, the
  same update written against any recurrence that returns its own backward (assignment 9's form,
  with plain gradient descent);
- generation and evaluation: ``temperature_softmax``, ``sample_index`` (a categorical draw from a
  uniform number, by the inverse of the cumulative distribution), ``lm_step`` and
  ``sample_sequence`` (generation from any one-step model), ``sample_lm``, ``perplexity``,
  ``bpc``, ``perplexity_by_context`` (perplexity when the state is reset every ell characters);
- a baseline: ``fit_ngram``, ``ngram_log_probs``, ``ngram_distribution`` (an n-gram model with
  interpolated Kneser-Ney or add-k smoothing).

Parameters are a dict with the vanilla RNN's names and the LSTM's shapes: ``U`` (4H, K),
``W`` (4H, H), ``b`` (4H,), gate blocks in the order (i, f, omega, C_tilde), and the output
layer ``V`` (K, H), ``c`` (K,). Token sequences are int arrays of indices into the vocabulary.
"""

from __future__ import annotations

import numbers
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np

from ._validate import as_float_array, as_index_array, check_shape
from .activations import softmax
from .bptt import output_backward
from .data import decode, encode, one_hot
from .gated import lstm_backward, lstm_forward, lstm_step_forward
from .losses import sequence_cross_entropy, sequence_cross_entropy_backward
from .optim import adam_step, clip_by_norm, global_norm
from .rnn import output_forward

__all__ = [
    "UNKNOWN",
    "CORPUS_FILES",
    "LM_PARAM_NAMES",
    "python_corpus",
    "build_vocab",
    "encode_text",
    "decode_text",
    "batch_stream",
    "truncated_bptt_chunks",
    "init_lm_params",
    "lm_forward",
    "lm_loss_and_grads",
    "lm_train_step",
    "lstm_chunk",
    "tbptt_step",
    "train_lm",
    "evaluate_lm",
    "temperature_softmax",
    "sample_index",
    "lm_step",
    "sample_sequence",
    "sample_lm",
    "perplexity",
    "bpc",
    "perplexity_by_context",
    "fit_ngram",
    "ngram_log_probs",
    "ngram_distribution",
]

#: The symbol that stands for every character outside the vocabulary (U+FFFD, the Unicode
#: replacement character); ``build_vocab`` puts it at index 0.
UNKNOWN = "\ufffd"

#: The corpus of chapter 9: modules of the Python standard library, read from the running
#: interpreter. Training and validation are different modules, so that the validation text is
#: held out as a whole (no module is split between the two).
CORPUS_FILES = {
    "train": (
        "textwrap.py",
        "heapq.py",
        "calendar.py",
        "fractions.py",
        "random.py",
        "functools.py",
        "statistics.py",
        "pathlib.py",
        "dataclasses.py",
        "argparse.py",
        "enum.py",
        "configparser.py",
    ),
    "validation": ("shlex.py", "csv.py"),
}

#: The parameters of the LSTM language model.
LM_PARAM_NAMES = ("U", "W", "b", "V", "c")


# ------------------------------------------------------------------ checks


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _positive_number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")


def _check_text(text, name="text"):
    if not isinstance(text, str):
        raise ValueError(f"{name} must be a str, got a {type(text).__name__}")


def _check_vocab(vocab):
    if isinstance(vocab, (list, tuple)):
        if not all(isinstance(ch, str) and len(ch) == 1 for ch in vocab):
            raise ValueError("vocab must be a str or a list of single characters, got other items")
        vocab = "".join(vocab)
    if not isinstance(vocab, str) or not vocab:
        raise ValueError(f"vocab must be a non-empty str of distinct characters, got {vocab!r:.60}")
    if len(set(vocab)) != len(vocab):
        repeated = sorted({ch for ch in vocab if vocab.count(ch) > 1})
        raise ValueError(f"vocab must hold distinct characters, got repeats {repeated!r}")
    return vocab


def _check_lm_params(params):
    if not isinstance(params, dict):
        raise ValueError(
            f"params must be a dict with keys {list(LM_PARAM_NAMES)}, got a {type(params).__name__}"
        )
    missing = [k for k in LM_PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}, expected keys {list(LM_PARAM_NAMES)}")
    U, W, b, V, c = (as_float_array(params[k], k, (1, 2)) for k in LM_PARAM_NAMES)
    if W.ndim != 2 or W.shape[0] != 4 * W.shape[1]:
        raise ValueError(f"params['W'] has shape {W.shape}, expected (4H, H)")
    H = W.shape[1]
    if V.ndim != 2:
        raise ValueError(f"params['V'] must be 2-dimensional (K, H), got shape {V.shape}")
    K = V.shape[0]
    check_shape(U, "params['U']", (4 * H, K), "(4H, K)")
    check_shape(b, "params['b']", (4 * H,), "(4H,)")
    check_shape(V, "params['V']", (K, H), "(K, H)")
    check_shape(c, "params['c']", (K,), "(K,)")
    return K, H


def _check_tokens(ids, name, K, ndim):
    ids = as_index_array(ids, name, ndim, upper=K)
    return ids


def _check_state(state, name, N, H):
    state = as_float_array(state, name, 2)
    check_shape(state, name, (N, H), "(N, H)")
    return state


# ------------------------------------------------------------------ data


def python_corpus(split="train", files=None):
    """Text from modules of the Python standard library, read from the running interpreter.

    The corpus needs no download: every Python installation carries its standard library as
    source. The files are a fixed list (``CORPUS_FILES``), so the text is the same for a given
    Python version; they are concatenated in the order listed.

    Inputs:
    - split: ``"train"`` or ``"validation"``, which list of ``CORPUS_FILES`` to read.
    - files: optional sequence of file names relative to the standard library folder, read
      instead of the split's list.

    Returns:
    - text: a str, the files' contents concatenated.
    """
    if files is None:
        if split not in CORPUS_FILES:
            raise ValueError(f"split must be one of {sorted(CORPUS_FILES)}, got {split!r}")
        files = CORPUS_FILES[split]
    if isinstance(files, str) or not all(isinstance(f, str) for f in files) or not files:
        raise ValueError(f"files must be a non-empty sequence of file names, got {files!r}")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    parts = []
    for name in files:
        path = stdlib / name
        if not path.is_file():
            raise ValueError(
                f"files names {name!r}, which is not in this interpreter's standard library "
                f"({stdlib}, Python {sys.version.split()[0]})"
            )
        parts.append(path.read_text(encoding="utf-8"))
    return "".join(parts)


def build_vocab(text):
    """The vocabulary of a text: ``UNKNOWN`` first, then every character of ``text``, sorted.

    Index 0 is reserved for ``UNKNOWN``, so that ``encode_text`` can map characters that the
    training text never contained (they do occur in held-out text) to a symbol of their own.

    Inputs:
    - text: a non-empty str.

    Returns:
    - vocab: a str of K distinct characters, ``vocab[0] == UNKNOWN``.
    """
    _check_text(text)
    if not text:
        raise ValueError("text must be a non-empty str to build a vocabulary from")
    return UNKNOWN + "".join(sorted(set(text) - {UNKNOWN}))


def encode_text(text, vocab):
    """Map a string to indices into ``vocab``.

    A character outside the vocabulary becomes the index of ``UNKNOWN`` if the vocabulary holds
    it; otherwise it is an error, so that no character is dropped silently.

    Inputs:
    - text: a str of T characters.
    - vocab: a str (or list) of K distinct characters.

    Returns:
    - ids: int64 array of shape (T,), entries in [0, K).
    """
    _check_text(text)
    vocab = _check_vocab(vocab)
    known = set(vocab)
    unknown = sorted(set(text) - known)
    if unknown:
        if UNKNOWN not in known:
            raise ValueError(
                f"text contains characters not in vocab: {unknown[:10]!r} (vocab has no UNKNOWN "
                "symbol to map them to; build it with build_vocab)"
            )
        text = text.translate({ord(ch): UNKNOWN for ch in unknown})
    return encode(text, vocab)


def decode_text(ids, vocab):
    """Inverse of ``encode_text`` (up to unknown characters): the characters of ``vocab`` at ``ids``.

    Inputs:
    - ids: int array of shape (T,), entries in [0, K).
    - vocab: a str (or list) of K distinct characters.

    Returns:
    - text: a str of T characters.
    """
    vocab = _check_vocab(vocab)
    return decode(_check_tokens(ids, "ids", len(vocab), 1), vocab)


def batch_stream(ids, N):
    """Cut one long token stream into N parallel rows for truncated BPTT.

    Row n is the n-th of N consecutive stretches of the stream, so a row read from left to
    right is continuous text, and the state that a chunk of a row ends in is the right state to
    start the row's next chunk from. The last ``len(ids) % N`` tokens are dropped.

    Inputs:
    - ids: int array of shape (L,), the stream.
    - N: the number of rows (the batch size), a positive int with ``2 * N <= L``.

    Returns:
    - batch: int array of shape (N, L // N); ``batch[n] = ids[n * (L // N) : (n + 1) * (L // N)]``.
    """
    N = _positive_int(N, "N")
    ids = as_index_array(ids, "ids", 1)
    L = ids.shape[0] // N
    if L < 2:
        raise ValueError(f"N = {N} rows of a stream of {ids.shape[0]} tokens leave fewer than 2 per row")
    return ids[: N * L].reshape(N, L)


def truncated_bptt_chunks(batch, chunk_length):
    """Consecutive (inputs, targets) chunks of a batch of rows, for truncated BPTT.

    Chunk j covers steps ``t0 = j * chunk_length`` up to ``t1 = min(t0 + chunk_length, L - 1)``:
    its inputs are ``batch[:, t0:t1]`` and its targets, the next characters,
    ``batch[:, t0 + 1:t1 + 1]``. The chunks tile the rows without overlap, so the target of one
    chunk's last step is the input of the next chunk's first step.

    Inputs:
    - batch: int array of shape (N, L) from ``batch_stream``, L >= 2.
    - chunk_length: the chunk length ell, a positive int.

    Returns:
    - chunks: list of ceil((L - 1) / chunk_length) pairs ``(inputs, targets)``, each of shape
      (N, ell) (the last one may be shorter); views into ``batch``.
    """
    chunk_length = _positive_int(chunk_length, "chunk_length")
    batch = as_index_array(batch, "batch", 2)
    L = batch.shape[1]
    if L < 2:
        raise ValueError(f"batch has shape {batch.shape}, expected (N, L) with L >= 2")
    return [
        (batch[:, t0 : min(t0 + chunk_length, L - 1)], batch[:, t0 + 1 : min(t0 + chunk_length, L - 1) + 1])
        for t0 in range(0, L - 1, chunk_length)
    ]


# ------------------------------------------------------------------ the model


def init_lm_params(K, H, rng=None, forget_bias=1.0, dtype=np.float64):
    """Random parameters of an LSTM language model over a vocabulary of K characters.

    ``U``, ``W`` and ``V`` are drawn from N(0, 1/H): the input is one-hot, so ``U x_t`` is a
    single column of U, and ``1/sqrt(H)`` keeps that column and ``W h_{t-1}`` of the same size.
    The biases are zero except the forget gate's, ``b^f = forget_bias`` (1 by default), which
    starts the cell out remembering: ``f_t`` is about ``sigma(1) = 0.73`` instead of 0.5
    (Gers, Schmidhuber & Cummins 2000; Jozefowicz, Zaremba & Sutskever 2015).

    Inputs:
    - K: vocabulary size (input size D = K and number of classes), a positive int.
    - H: state size, a positive int.
    - rng: a ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).
    - forget_bias: the initial forget-gate bias, a real number.
    - dtype: the float dtype of the parameters (float32 trains about twice as fast).

    Returns:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    """
    K = _positive_int(K, "K")
    H = _positive_int(H, "H")
    rng = np.random.default_rng(0) if rng is None else rng
    _check_rng(rng)
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real):
        raise ValueError(f"forget_bias must be a real number, got {forget_bias!r}")
    if not np.issubdtype(np.dtype(dtype), np.floating):
        raise ValueError(f"dtype must be a floating-point dtype, got {dtype!r}")
    scale = 1 / np.sqrt(H)
    b = np.zeros(4 * H)
    b[H : 2 * H] = forget_bias
    params = {
        "U": rng.normal(0.0, scale, size=(4 * H, K)),
        "W": rng.normal(0.0, scale, size=(4 * H, H)),
        "b": b,
        "V": rng.normal(0.0, scale, size=(K, H)),
        "c": np.zeros(K),
    }
    return {k: v.astype(dtype) for k, v in params.items()}


def _zero_state(N, H, dtype):
    return np.zeros((N, H), dtype=dtype), np.zeros((N, H), dtype=dtype)


def _inputs_and_states(params, inputs, h0, C0):
    """Check a model call; return (K, H, one-hot X (N, T, K), h0, C0) in the parameters' dtype."""
    K, H = _check_lm_params(params)
    inputs = _check_tokens(inputs, "inputs", K, 2)
    N, T = inputs.shape
    if N < 1 or T < 1:
        raise ValueError(f"inputs has shape {inputs.shape}, expected (N, T) with N >= 1 and T >= 1")
    dtype = params["W"].dtype
    if h0 is None and C0 is None:
        h0, C0 = _zero_state(N, H, dtype)
    elif h0 is None or C0 is None:
        raise ValueError("h0 and C0 must be given together (or both None for zeros)")
    h0 = _check_state(h0, "h0", N, H)
    C0 = _check_state(C0, "C0", N, H)
    X = one_hot(inputs, K).astype(dtype, copy=False)
    return K, H, X, h0, C0


def lm_forward(params, inputs, h0=None, C0=None):
    """Logits of the next character at every step, and the states that produced them.

    ``x_t = onehot(inputs[:, t])``, the LSTM of ``gated.lstm_forward`` from (h0, C0), and
    ``o_t = c + V h_t``.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    - inputs: int array of shape (N, T), entries in [0, K).
    - h0, C0: initial hidden and cell states, shape (N, H) each, or both None for zeros.

    Returns a tuple of:
    - O: logits, shape (N, T, K); ``softmax(O[:, t])`` is the distribution of the character
      after ``inputs[:, t]``.
    - Hs: hidden states, shape (N, T, H).
    - Cs: cell states, shape (N, T, H); ``(Hs[:, -1], Cs[:, -1])`` is the state to continue from.
    """
    _, _, X, h0, C0 = _inputs_and_states(params, inputs, h0, C0)
    Hs, Cs = lstm_forward(X, h0, C0, params["U"], params["W"], params["b"])
    return output_forward(Hs, params["V"], params["c"]), Hs, Cs


def lm_loss_and_grads(params, inputs, targets, h0=None, C0=None):
    """Loss of the language model on one chunk, and its gradients by BPTT within the chunk.

    The loss is ``sequence_cross_entropy``: the negative log-likelihood of the targets, summed
    over the T steps and averaged over the N rows. The initial states are constants: no
    gradient flows into them, which is what truncates BPTT at the chunk's start.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    - inputs: int array of shape (N, T), entries in [0, K).
    - targets: int array of shape (N, T), the next characters, entries in [0, K).
    - h0, C0: initial states, shape (N, H) each, or both None for zeros.

    Returns a tuple of:
    - loss: a Python float.
    - grads: dict with the keys and shapes of ``params``.
    - state: the pair ``(h_T, C_T)`` of shape (N, H) each, the states after the last step.
    """
    K, H, X, h0, C0 = _inputs_and_states(params, inputs, h0, C0)
    targets = _check_tokens(targets, "targets", K, 2)
    if targets.shape != X.shape[:2]:
        raise ValueError(
            f"targets has shape {targets.shape}, expected (N, T) = {X.shape[:2]} to match inputs"
        )
    U, W, b, V, c = (params[k] for k in LM_PARAM_NAMES)
    Hs, Cs, gates = lstm_forward(X, h0, C0, U, W, b, return_cache=True)
    O = output_forward(Hs, V, c)
    loss = sequence_cross_entropy(O, targets)
    dHs, dV, dc = output_backward(sequence_cross_entropy_backward(O, targets), Hs, V)
    _, _, _, dU, dW, db = lstm_backward(dHs, X, h0, C0, Hs, Cs, U, W, b, cache=gates)
    grads = {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}
    return loss, grads, (Hs[:, -1].copy(), Cs[:, -1].copy())


def lm_train_step(params, adam_state, inputs, targets, h0=None, C0=None, lr=2e-3, max_norm=5.0):
    """One truncated-BPTT update: loss and gradients of a chunk, clipping by norm, then Adam.

    ``g`` = the gradients of ``lm_loss_and_grads``; if their global norm exceeds ``max_norm``
    they are scaled down to it (``optim.clip_by_norm``); then ``optim.adam_step`` updates
    ``params`` in place with step size ``lr`` (kappa1 = 0.9, kappa2 = 0.999).

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,);
      updated in place.
    - adam_state: the dict Adam keeps between steps (empty before the first); updated in place.
    - inputs, targets: int arrays of shape (N, T), entries in [0, K).
    - h0, C0: the states carried from the previous chunk, shape (N, H) each, or None for zeros.
    - lr: Adam's step size eta, a positive number.
    - max_norm: the clipping threshold g_max on the global gradient norm, a positive number.

    Returns a tuple of:
    - loss: the chunk's loss before the update, per character (divided by N and T), a float.
    - state: ``(h_T, C_T)``, shape (N, H) each, to carry into the next chunk.
    - grad_norm: the global norm of the gradient before clipping, a float.
    """
    lr = _positive_number(lr, "lr")
    max_norm = _positive_number(max_norm, "max_norm")
    if not isinstance(adam_state, dict):
        raise ValueError(
            f"adam_state must be a dict (empty before the first step), got a {type(adam_state).__name__}"
        )
    loss, grads, state = lm_loss_and_grads(params, inputs, targets, h0, C0)
    grad_norm = global_norm(grads)
    adam_step(params, clip_by_norm(grads, max_norm), adam_state, lr=lr)
    return loss / np.shape(inputs)[1], state, grad_norm


def lstm_chunk(params, X, h0, C0):
    """The LSTM over one chunk, and a function that backpropagates through it (the ``lstm`` of ``tbptt_step``).

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,) (other keys are ignored).
    - X: inputs, shape (N, T, K) (one-hot characters).
    - h0, C0: the states to start from, shape (N, H) each.

    Returns a tuple of:
    - Hs: hidden states, shape (N, T, H).
    - Cs: cell states, shape (N, T, H).
    - backward: a function ``backward(dHs) -> {"U": dU, "W": dW, "b": db}`` that takes the
      gradient of the loss on every hidden state, shape (N, T, H), and returns the gradients of
      the LSTM's parameters by BPTT within the chunk (none flows into h0 or C0).
    """
    U, W, b = (params[k] for k in ("U", "W", "b"))
    Hs, Cs, gates = lstm_forward(X, h0, C0, U, W, b, return_cache=True)

    def backward(dHs):
        _, _, _, dU, dW, db = lstm_backward(dHs, X, h0, C0, Hs, Cs, U, W, b, cache=gates)
        return {"U": dU, "W": dW, "b": db}

    return Hs, Cs, backward


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    """One truncated-BPTT step of plain gradient descent on a chunk, from the state carried over.

    The chunk's loss per character is ``L = -(1 / (N T)) sum_n sum_t log yhat_t[n, targets[n, t]]``
    with ``yhat_t = softmax(c + V h_t)`` and ``h_t`` from ``lstm`` started at ``state``. Its
    gradient g (BPTT within the chunk only: the carried state is a constant) is clipped by its
    global norm, ``g <- max_norm g / ||g||`` when ``||g|| > max_norm`` (one norm over all five
    gradients), then every parameter takes the step ``theta <- theta - lr g``.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,);
      not modified.
    - inputs, targets: int arrays of shape (N, T), entries in [0, K); ``targets[:, t]`` is the
      character after ``inputs[:, t]``.
    - state: the pair ``(h0, C0)`` carried from the previous chunk, shape (N, H) each.
    - lstm: a function ``lstm(params, X, h0, C0) -> (Hs, Cs, backward)`` (``lstm_chunk`` is one):
      X the one-hot inputs (N, T, K), Hs and Cs the hidden and cell states (N, T, H), and
      ``backward(dHs)`` the gradients ``{"U": dU, "W": dW, "b": db}`` of the loss whose gradient
      on Hs is dHs (N, T, H).
    - lr: the step size eta, a positive number.
    - max_norm: the clipping threshold g_max on the global gradient norm, a positive number.

    Returns a tuple of:
    - new_params: a new dict with the keys, shapes and dtypes of ``params``, after the step.
    - loss: the chunk's loss per character before the step, a Python float.
    - state: ``(h_T, C_T)``, shape (N, H) each, the states after the chunk's last step.
    """
    K, H = _check_lm_params(params)
    lr = _positive_number(lr, "lr")
    max_norm = _positive_number(max_norm, "max_norm")
    inputs = _check_tokens(inputs, "inputs", K, 2)
    targets = _check_tokens(targets, "targets", K, 2)
    if targets.shape != inputs.shape:
        raise ValueError(f"targets has shape {targets.shape}, expected (N, T) = {inputs.shape} to match inputs")
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError("state must be a pair (h0, C0) of arrays of shape (N, H)")
    N, T = inputs.shape
    h0 = _check_state(state[0], "state[0] (h0)", N, H)
    C0 = _check_state(state[1], "state[1] (C0)", N, H)
    if not callable(lstm):
        raise ValueError(f"lstm must be a function lstm(params, X, h0, C0) -> (Hs, Cs, backward), got {lstm!r}")
    X = one_hot(inputs, K).astype(params["W"].dtype, copy=False)
    Hs, Cs, backward = lstm(params, X, h0, C0)
    O = output_forward(Hs, params["V"], params["c"])
    # sequence_cross_entropy sums over time and averages over the batch: divide by T for per character.
    loss = sequence_cross_entropy(O, targets) / T
    dHs, dV, dc = output_backward(sequence_cross_entropy_backward(O, targets) / T, Hs, params["V"])
    grads = {**backward(dHs), "V": dV, "c": dc}
    grads = clip_by_norm(grads, max_norm)
    new_params = {k: params[k] - lr * grads[k] for k in LM_PARAM_NAMES}
    return new_params, loss, (Hs[:, -1].copy(), Cs[:, -1].copy())


def evaluate_lm(params, ids, N=16, chunk_length=200):
    """The model's loss per character on a token stream (no update): mean ``-log yhat_t[y_t]`` in nats.

    The stream is cut into N rows (``batch_stream``) and read chunk by chunk with the state
    carried over, so every prediction after a row's first character has all of the row's
    text before it; each row starts from the zero state.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    - ids: int array of shape (L,), the held-out stream, entries in [0, K).
    - N: number of rows read in parallel, a positive int (only speed and the N row starts depend on it).
    - chunk_length: steps per forward call, a positive int (only memory depends on it).

    Returns:
    - loss: mean negative log-likelihood per predicted character, a Python float
      (``exp(loss)`` is the perplexity, ``loss / ln 2`` the bits per character).
    """
    K, H = _check_lm_params(params)
    ids = _check_tokens(ids, "ids", K, 1)
    chunks = truncated_bptt_chunks(batch_stream(ids, N), chunk_length)
    h, C = _zero_state(N, H, params["W"].dtype)
    total, count = 0.0, 0
    for inputs, targets in chunks:
        O, Hs, Cs = lm_forward(params, inputs, h, C)
        total += sequence_cross_entropy(O, targets) * N
        count += targets.size
        h, C = Hs[:, -1], Cs[:, -1]
    return total / count


def _progress_line(i, n, loss, val, elapsed, width=20):
    done = int(width * i / n)
    left = elapsed / i * (n - i)
    val_text = "" if val is None else f", validation {val:.3f} (PPL {np.exp(val):.2f})"
    return (f"update {i:>5}/{n} [{'#' * done}{'.' * (width - done)}] loss {loss:.3f} nats/char"
            f"{val_text}; {elapsed:.0f} s, about {left:.0f} s left")


def train_lm(params, train_ids, val_ids, N, chunk_length, n_updates, lr=2e-3, max_norm=5.0,
             eval_every=100, progress=True):
    """Train an LSTM language model with truncated BPTT, clipping and Adam; ``params`` in place.

    The training stream is cut into N rows (``batch_stream``) and the rows into chunks of
    ``chunk_length`` steps (``truncated_bptt_chunks``). Update i trains on the next chunk with
    ``lm_train_step``, starting from the state where the previous chunk ended; after the last
    chunk the next pass over the data starts again at the first one from the zero state. Every
    ``eval_every`` updates (and after the last) the loss on ``val_ids`` is measured with
    ``evaluate_lm`` and, if ``progress``, a progress line is printed.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,);
      updated in place.
    - train_ids: int array of shape (L,), the training stream, entries in [0, K).
    - val_ids: int array of shape (L_val,), the validation stream, or None for no evaluation.
    - N: rows per batch, a positive int.
    - chunk_length: the chunk length ell, a positive int.
    - n_updates: the number of updates, a positive int.
    - lr: Adam's step size, a positive number.
    - max_norm: the clipping threshold on the global gradient norm, a positive number.
    - eval_every: evaluate (and report) every this many updates, a positive int.
    - progress: print a progress line at every evaluation.

    Returns:
    - history: dict with ``"train_loss"`` (n_updates,) the loss per character of every update's
      chunk before the update; ``"grad_norm"`` (n_updates,) the gradient norms before clipping;
      ``"eval_update"`` (E,) the updates after which the validation loss was measured (0 is
      before training); ``"val_loss"`` (E,) the validation loss per character (empty without
      ``val_ids``); ``"seconds"`` the wall-clock time of the training, a float.
    """
    K, H = _check_lm_params(params)
    N = _positive_int(N, "N")
    n_updates = _positive_int(n_updates, "n_updates")
    eval_every = _positive_int(eval_every, "eval_every")
    train_ids = _check_tokens(train_ids, "train_ids", K, 1)
    if val_ids is not None:
        val_ids = _check_tokens(val_ids, "val_ids", K, 1)
    chunks = truncated_bptt_chunks(batch_stream(train_ids, N), chunk_length)
    dtype = params["W"].dtype
    adam_state = {}
    train_loss = np.empty(n_updates)
    grad_norm = np.empty(n_updates)
    eval_update, val_loss = [], []
    if val_ids is not None:
        eval_update.append(0)
        val_loss.append(evaluate_lm(params, val_ids))
    start = time.perf_counter()
    h, C = _zero_state(N, H, dtype)
    for i in range(n_updates):
        j = i % len(chunks)
        if j == 0:
            h, C = _zero_state(N, H, dtype)
        inputs, targets = chunks[j]
        train_loss[i], (h, C), grad_norm[i] = lm_train_step(params, adam_state, inputs, targets, h, C,
                                                            lr=lr, max_norm=max_norm)
        if (i + 1) % eval_every == 0 or i + 1 == n_updates:
            val = None
            if val_ids is not None:
                val = evaluate_lm(params, val_ids)
                eval_update.append(i + 1)
                val_loss.append(val)
            if progress:
                recent = train_loss[max(0, i + 1 - eval_every) : i + 1].mean()
                print(_progress_line(i + 1, n_updates, recent, val, time.perf_counter() - start), flush=True)
    return {
        "train_loss": train_loss,
        "grad_norm": grad_norm,
        "eval_update": np.array(eval_update, dtype=np.int64),
        "val_loss": np.array(val_loss),
        "seconds": time.perf_counter() - start,
    }


# ------------------------------------------------------------------ generation and evaluation


def temperature_softmax(o, temperature):
    """The softmax of logits divided by a temperature: ``softmax(o / tau)`` over the last axis.

    tau = 1 is the model's own distribution; tau < 1 sharpens it towards the most likely class
    and tau > 1 flattens it towards uniform. tau = 0 is allowed and gives the limit tau -> 0+:
    all mass on the largest logit (shared equally between ties), which is greedy decoding.

    Inputs:
    - o: logits, float array of shape (..., K).
    - temperature: tau, a real number >= 0.

    Returns:
    - p: float array of shape (..., K); each slice along the last axis is >= 0 and sums to 1.
    """
    o = as_float_array(o, "o", tuple(range(1, 33)))
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not temperature >= 0:
        raise ValueError(f"temperature must be a real number >= 0, got {temperature!r}")
    if o.shape[-1] == 0:
        raise ValueError(f"o has shape {o.shape}, expected at least one class on the last axis (K >= 1)")
    if temperature == 0:
        top = (o == o.max(axis=-1, keepdims=True)).astype(o.dtype)
        return top / top.sum(axis=-1, keepdims=True)
    return softmax(o / temperature)


def sample_index(p, upsilon):
    """One categorical draw per row, from a uniform number: the inverse of the cumulative distribution.

    Row n's draw is the smallest k with ``upsilon[n] < F[n, k]``, where ``F[n, k] = sum_{j <= k} p[n, j]
    / sum_j p[n, j]`` is the cumulative distribution (normalised, so that rounding in the sum
    cannot leave upsilon beyond the last entry). An upsilon uniform on [0, 1) then gives k with probability
    ``p[n, k]``, and a class of probability 0 is never drawn. This is how
    ``numpy.random.Generator.choice`` draws with ``p``: for one row, ``sample_index(p[None],
    rng.random(1))[0]`` equals ``rng.choice(K, p=p)`` from the same generator state.

    Inputs:
    - p: probabilities, shape (N, K), entries >= 0, each row with a positive sum.
    - upsilon: uniform numbers in [0, 1), shape (N,).

    Returns:
    - k: int64 array of shape (N,), entries in [0, K).
    """
    p = as_float_array(p, "p", 2)
    upsilon = as_float_array(upsilon, "upsilon", 1)
    N, K = p.shape
    check_shape(upsilon, "upsilon", (N,), "(N,)")
    if K < 1 or np.any(p < 0) or not np.all(p.sum(axis=1) > 0):
        raise ValueError("p must hold probabilities: entries >= 0 and every row with a positive sum (K >= 1)")
    if np.any(upsilon < 0) or np.any(upsilon >= 1):
        raise ValueError(f"upsilon must hold numbers in [0, 1), got values from {upsilon.min()} to {upsilon.max()}")
    F = np.cumsum(p, axis=1)
    F = F / F[:, -1:]
    return np.sum(F <= upsilon[:, None], axis=1).astype(np.int64)


def lm_step(params, logits_dtype=None):
    """The language model as a one-step function, for ``sample_sequence`` and ``perplexity_by_context``.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    - logits_dtype: the dtype of the logits returned, or None for the parameters' dtype
      (``sample_lm`` draws from float64 logits whatever the model's dtype).

    Returns:
    - step: a function ``step(x, state) -> (o, state)``: x is an int array (N,) of characters,
      state the pair ``(h, C)`` of shape (N, H) each, o the logits (N, K) of the next character
      and state the pair after reading x. It does not modify its arguments.
    """
    K, H = _check_lm_params(params)
    U, W, b, V, c = (params[k] for k in LM_PARAM_NAMES)

    def step(x, state):
        h, C = lstm_step_forward(one_hot(np.asarray(x), K).astype(W.dtype, copy=False), state[0], state[1], U, W, b)
        o = output_forward(h, V, c)
        return (o if logits_dtype is None else o.astype(logits_dtype)), (h, C)

    return step


def sample_sequence(step, state, x, upsilon, temperature):
    """Generate characters from a one-step model, feeding each draw back as the next input.

    At step t the model gives the logits of the next character and its next state; the character
    drawn at the given temperature with ``upsilon[:, t]`` is both the output at t and the next input.

    Inputs:
    - step: a function ``step(x, state) -> (o, state)`` with x an int array (N,) and o the logits
      (N, K) of the next character (``lm_step`` makes one from an LSTM language model).
    - state: the model's state before the first step (whatever ``step`` accepts).
    - x: int array of shape (N,), the first input of every row (e.g. the last character of a prime).
    - upsilon: uniform numbers in [0, 1), shape (N, n): upsilon[:, t] decides the t-th draw.
    - temperature: tau >= 0.

    Returns:
    - ids: int64 array of shape (N, n), the drawn characters (x not included).
    """
    x = as_index_array(x, "x", 1)
    upsilon = as_float_array(upsilon, "upsilon", 2)
    if upsilon.shape[0] != x.shape[0]:
        raise ValueError(f"upsilon has shape {upsilon.shape}, expected (N, n) with N = {x.shape[0]} rows, one per entry of x")
    if not callable(step):
        raise ValueError(f"step must be a function step(x, state) -> (o, state), got {step!r}")
    N, n = upsilon.shape
    ids = np.empty((N, n), dtype=np.int64)
    for t in range(n):
        o, state = step(x, state)
        x = sample_index(temperature_softmax(o, temperature), upsilon[:, t])
        ids[:, t] = x
    return ids


def sample_lm(params, prime, n, rng, temperature=1.0):
    """Generate ``n`` characters from the language model, feeding each one back as the next input.

    The model first reads ``prime`` from the zero state (its characters condition the sample
    and are not part of it). Then ``sample_sequence`` draws n characters with ``lm_step``, one
    uniform number ``rng.random()`` per character: the same draws as
    ``rng.choice(K, p=temperature_softmax(o_t, temperature))`` at every step.

    Inputs:
    - params: dict with ``U`` (4H, K), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    - prime: int array of shape (P,), P >= 1, entries in [0, K).
    - n: the number of characters to draw, an int >= 0.
    - rng: a ``numpy.random.Generator``; the same seed gives the same sample.
    - temperature: tau >= 0 (0 picks the most likely character at every step).

    Returns:
    - ids: int64 array of shape (n,), the drawn characters (the prime not included).
    """
    K, H = _check_lm_params(params)
    prime = _check_tokens(prime, "prime", K, 1)
    if prime.shape[0] < 1:
        raise ValueError("prime must hold at least one character (the first input)")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    _check_rng(rng)
    temperature_softmax(np.zeros(1), temperature)  # validates temperature before any work
    h, C = _zero_state(1, H, params["W"].dtype)
    if prime.shape[0] > 1:
        _, Hs, Cs = lm_forward(params, prime[None, :-1], h, C)
        h, C = Hs[:, -1], Cs[:, -1]
    return sample_sequence(lm_step(params, np.float64), (h, C), prime[-1:], rng.random((1, n)), temperature)[0]


def perplexity(O, Y):
    """Perplexity of the targets under the logits: ``PPL = exp(L / (N T))``, L the summed NLL.

    The exponential of the mean negative log-likelihood per character: the number of equally
    likely characters a model would have to choose from to be as uncertain. A uniform model
    over K characters has perplexity K; a perfect one, 1.

    Inputs:
    - O: logits, shape (N, T, K).
    - Y: integer targets, shape (N, T), entries in [0, K).

    Returns:
    - ppl: a Python float >= 1.
    """
    O = as_float_array(O, "O", 3)
    return float(np.exp(sequence_cross_entropy(O, Y) / O.shape[1]))


def bpc(O, Y):
    """Bits per character: the mean negative log-likelihood in base 2, ``bpc = L / (N T ln 2)``.

    ``bpc = log2(PPL)``; a uniform model over K characters needs ``log2 K`` bits.

    Inputs:
    - O: logits, shape (N, T, K).
    - Y: integer targets, shape (N, T), entries in [0, K).

    Returns:
    - bpc: a Python float >= 0.
    """
    O = as_float_array(O, "O", 3)
    return float(sequence_cross_entropy(O, Y) / (O.shape[1] * np.log(2)))


def perplexity_by_context(step, state0, ids, ells):
    """Perplexity of a text when the model's state is reset every ell characters, for several ell.

    The model reads ``ids[:, t]`` and predicts ``ids[:, t + 1]`` for t = 0, ..., L - 2, but before reading ``ids[:, t]`` with ``t % ell == 0`` its state is set back
    to ``state0``: no prediction sees more than ell characters. Every ell scores the same L - 1
    predictions per row, so the perplexities are comparable; ell >= L - 1 never resets.

    Inputs:
    - step: a function ``step(x, state) -> (o, state)`` with x an int array (N,) and o the logits
      (N, K) of the next character.
    - state0: the state to start from and to reset to (e.g. zeros).
    - ids: int array of shape (N, L), L >= 2, N texts of L characters.
    - ells: int array of shape (E,), the context lengths, entries >= 1.

    Returns:
    - ppl: float array of shape (E,), the perplexity for each ell.
    """
    ids = as_index_array(ids, "ids", 2)
    ells = as_index_array(ells, "ells", 1)
    if ids.shape[1] < 2:
        raise ValueError(f"ids has shape {ids.shape}, expected (N, L) with L >= 2 (a character to predict)")
    if ells.size and ells.min() < 1:
        raise ValueError(f"ells must hold context lengths >= 1, got {ells.min()}")
    if not callable(step):
        raise ValueError(f"step must be a function step(x, state) -> (o, state), got {step!r}")
    N, L = ids.shape
    ppl = np.empty(ells.shape[0])
    for e, ell in enumerate(ells):
        state, O = state0, []
        for t in range(L - 1):
            if t % ell == 0:
                state = state0
            o, state = step(ids[:, t], state)
            O.append(o)
        ppl[e] = perplexity(np.stack(O, axis=1), ids[:, 1:])
    return ppl



# ------------------------------------------------------------------ the n-gram baseline


def _codes(windows, K):
    """Integer code of each row of ``windows`` (M, j) read as a base-K number; (M,) int64."""
    code = np.zeros(windows.shape[0], dtype=np.int64)
    for col in range(windows.shape[1]):
        code = code * K + windows[:, col]
    return code


def _lookup(table_codes, table_values, query):
    """``table_values`` at ``query`` codes (0 where a code is not in the sorted ``table_codes``)."""
    if table_codes.size == 0:
        return np.zeros(query.shape, dtype=table_values.dtype)
    idx = np.minimum(np.searchsorted(table_codes, query), table_codes.size - 1)
    found = table_codes[idx] == query
    return np.where(found, table_values[idx], 0)


def _discount(counts):
    """Kneser-Ney's absolute discount of one order, the book's Xi = #_1 / (#_1 + 2 #_2).

    #_1, #_2 (``n1``, ``n2`` here) are the numbers of n-grams of the order seen once and twice.
    The result is clipped to [0.05, 0.95], and is 0.5 when no n-gram was seen once.
    """
    n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
    if n1 == 0:
        return 0.5
    return float(min(max(n1 / (n1 + 2 * n2), 0.05), 0.95))


def _context_table(codes, counts, K):
    """Per context (code // K): its total count and its number of distinct followers."""
    ctx, inverse = np.unique(codes // K, return_inverse=True)
    return ctx, np.bincount(inverse, weights=counts), np.bincount(inverse).astype(float)


def fit_ngram(ids, order, K, smoothing="kneser-ney", k=1.0):
    """Count the n-grams of a token stream: a character n-gram model, smoothed.

    The model predicts a character from the ``order - 1`` characters before it.

    In the book's symbols (chapter 9): chi is the context (the last n - 1 characters), y the
    character after it, #(chi y) the number of times chi was followed by y in ``ids`` and
    #(chi) = sum_y #(chi y).

    - ``"kneser-ney"``: interpolated Kneser-Ney (Kneser & Ney 1995; Chen & Goodman 1999). At
      the highest order, ``p^(n)(y | chi) = (max(#(chi y) - Xi, 0) + Xi #_+(chi .)
      p^(n-1)(y | chi')) / #(chi)``, with ``#_+(chi .)`` the number of distinct characters seen
      after chi, chi' the context chi without its first character and ``p^(n-1)`` the model one
      order lower. Lower orders use the same formula with *continuation counts* (the number of
      distinct characters seen before an n-gram) in place of #; the lowest interpolates with
      the uniform distribution 1/K. Each order's discount Xi is ``#_1 / (#_1 + 2 #_2)``
      (#_1, #_2: n-grams seen once, twice; see ``_discount``). A context never seen falls back
      to the order below.
    - ``"add-k"``: additive smoothing with pseudo-count Gamma (the argument ``k``),
      ``p(y | chi) = (#(chi y) + Gamma) / (#(chi) + Gamma K)``, at the full order only.

    Inputs:
    - ids: int array of shape (L,), the training stream, entries in [0, K).
    - order: n, the length of the n-grams (context chi of n - 1 characters), an int >= 1 with
      ``K ** order < 2 ** 62``.
    - K: vocabulary size, a positive int.
    - smoothing: ``"kneser-ney"`` or ``"add-k"``.
    - k: the book's Gamma, the pseudo-count of additive ("add-k") smoothing, a positive number.

    Returns:
    - model: a dict (``order``, ``K``, ``smoothing``, ``k``, and per order j = 1..n the sorted
      n-gram codes and their counts, the context tables and the discounts) for
      ``ngram_log_probs`` and ``ngram_distribution``.
    """
    K = _positive_int(K, "K")
    order = _positive_int(order, "order")
    if K**order >= 2**62:
        raise ValueError(
            f"order must keep K ** order below 2 ** 62 (codes are int64), got order {order} with K = {K}"
        )
    if smoothing not in ("kneser-ney", "add-k"):
        raise ValueError(f"smoothing must be 'kneser-ney' or 'add-k', got {smoothing!r}")
    k = _positive_number(k, "k")
    ids = _check_tokens(ids, "ids", K, 1)
    if ids.shape[0] < order:
        raise ValueError(f"ids has {ids.shape[0]} tokens, expected at least order = {order}")
    L = ids.shape[0]
    raw = []  # raw[j - 1] = (sorted codes of the j-grams, their counts)
    for j in range(1, order + 1):
        windows = np.lib.stride_tricks.sliding_window_view(ids, j)
        codes, counts = np.unique(_codes(windows, K), return_counts=True)
        raw.append((codes, counts.astype(float)))
    tables = []
    for j in range(1, order + 1):
        if smoothing == "kneser-ney" and j < order:
            # continuation count of a j-gram: the number of distinct characters seen before it,
            # i.e. of distinct (j+1)-grams that end in it.
            codes, counts = np.unique(raw[j][0] % K**j, return_counts=True)
            counts = counts.astype(float)
        else:
            codes, counts = raw[j - 1]
        ctx, totals, types = _context_table(codes, counts, K)
        tables.append({"codes": codes, "counts": counts, "ctx": ctx, "ctx_total": totals,
                       "ctx_types": types, "discount": _discount(counts)})
    return {"order": order, "K": K, "smoothing": smoothing, "k": k, "tables": tables, "length": L}


def _check_ngram(model):
    if not isinstance(model, dict) or not {"order", "K", "smoothing", "tables"} <= set(model):
        raise ValueError("model must be the dict that fit_ngram returns")
    return model["order"], model["K"]


def _ngram_probs(model, histories, targets):
    """p(target | history) for rows of ``histories`` (M, n-1), -1 marking missing characters."""
    n, K = model["order"], model["K"]
    M = targets.shape[0]
    tables = model["tables"]
    if model["smoothing"] == "add-k":
        k = model["k"]
        p = np.full(M, 1.0 / K)
        # Each row uses the longest context it has (rows near the start of a stream have fewer
        # than n - 1 characters before them; the padding is at the front of a history).
        row_order = np.sum(histories >= 0, axis=1) + 1
        for j in range(1, n + 1):
            rows = row_order == j
            if not np.any(rows):
                continue
            ctx = _codes(histories[rows, n - j :], K)
            t = tables[j - 1]
            c_hw = _lookup(t["codes"], t["counts"], ctx * K + targets[rows])
            c_h = _lookup(t["ctx"], t["ctx_total"], ctx)
            p[rows] = (c_hw + k) / (c_h + k * K)
        return p
    p = np.full(M, 1.0 / K)
    for j in range(1, n + 1):
        t = tables[j - 1]
        if j == 1:
            ctx = np.zeros(M, dtype=np.int64)
            rows = np.ones(M, dtype=bool)
        else:
            rows = np.all(histories[:, n - j :] >= 0, axis=1)
            ctx = np.zeros(M, dtype=np.int64)
            ctx[rows] = _codes(histories[rows, n - j :], K)
        total = _lookup(t["ctx"], t["ctx_total"], ctx)
        rows &= total > 0  # an unseen context keeps the lower order's estimate
        d = t["discount"]
        c_hw = _lookup(t["codes"], t["counts"], ctx[rows] * K + targets[rows])
        types = _lookup(t["ctx"], t["ctx_types"], ctx[rows])
        p[rows] = (np.maximum(c_hw - d, 0.0) + d * types * p[rows]) / total[rows]
    return p


def ngram_log_probs(model, ids):
    """Log-probabilities of every character of a stream after the first, under an n-gram model.

    Character t (t >= 1) is predicted from the up to n - 1 characters before it, as the LSTM
    predicts it from all of them; the first n - 2 predictions have shorter contexts.

    Inputs:
    - model: the dict of ``fit_ngram``.
    - ids: int array of shape (L,), L >= 2, entries in [0, K).

    Returns:
    - log_p: float array of shape (L - 1,), ``log p(ids[t] | ids[t-n+1:t])`` for t = 1..L-1
      (its negative mean is the loss per character, comparable with ``evaluate_lm``).
    """
    n, K = _check_ngram(model)
    ids = _check_tokens(ids, "ids", K, 1)
    if ids.shape[0] < 2:
        raise ValueError(f"ids has shape {ids.shape}, expected at least 2 tokens")
    padded = np.concatenate([np.full(max(n - 1, 0), -1, dtype=np.int64), ids.astype(np.int64)])
    if n > 1:
        # row t - 1 holds the n - 1 characters before ids[t] (-1 before the stream's start)
        hist = np.lib.stride_tricks.sliding_window_view(padded[:-1], n - 1)[1:]
    else:
        hist = np.zeros((ids.shape[0] - 1, 0), np.int64)
    return np.log(_ngram_probs(model, hist, ids[1:].astype(np.int64)))


def ngram_distribution(model, context):
    """The n-gram model's distribution of the next character after ``context``.

    Inputs:
    - model: the dict of ``fit_ngram``.
    - context: int array of shape (P,), P >= 0, entries in [0, K); its last n - 1 characters count.

    Returns:
    - p: float array of shape (K,), >= 0, summing to 1.
    """
    n, K = _check_ngram(model)
    context = _check_tokens(context, "context", K, 1).astype(np.int64)
    h = np.full(max(n - 1, 0), -1, dtype=np.int64)
    if n > 1 and context.size:
        last = context[-(n - 1):]
        h[n - 1 - last.size :] = last
    return _ngram_probs(model, np.tile(h, (K, 1)), np.arange(K, dtype=np.int64))
