"""Encoder-decoders (chapter 6): a context vector from an encoder, a decoder started from it.

Notation (the book's notation table, chapter 6). The encoder reads the source
``x_1 .. x_{T_x}`` (``X``, shape (N, T_x, D)) into states ``h^e_j``; the *context* is

    m = h^e_{T_x}                               (unidirectional encoder, H)
    m = [->h_{T_x} ; <-h_1]                     (bidirectional encoder, 2H)

the last state of each direction. The decoder is a recurrence of its own, with state
``h^d_t`` of the size of m, started from it (``h^d_0 = m``), reading the previous target
token and emitting logits:

    h^d_t = cell(onehot(y_{t-1}), h^d_{t-1}; dec),   o_t = c + V h^d_t,   y_0 = <bos>

In training the previous token is the *true* one (teacher forcing: ``Y_in[:, t] = y_{t-1}``,
``Y_in[:, 0] = bos``); at inference it is the model's own choice ``y*_{t-1}`` (greedy decoding
takes the arg max and stops at ``<eos>`` or after ``max_len`` tokens).

Parameters: ``enc`` is a dict ``{"U", "W", "b"}`` (unidirectional) or ``{"fwd": {...},
"bwd": {...}}`` (bidirectional, see ``rnncourse.bidirectional``); ``dec`` is a dict with
``U`` (G*H_d, K), ``W`` (G*H_d, H_d), ``b`` (G*H_d,), ``V`` (K, H_d), ``c`` (K,), where H_d is
the size of m and G = 1 for ``cell="rnn"``, 3 for ``cell="gru"``. Both the encoder and the
decoder use the one ``cell`` (an LSTM decoder would also have to carry C; it is not provided).
All states start from zeros except the decoder's.

An optional *bottleneck* (``init_seq2seq_params(..., H_m=...)``) narrows the summary that the
decoder receives without changing the encoder or the decoder: ``dec`` then also holds
``W_down`` (H_m, H_d) and ``W_up`` (H_d, H_m), and the decoder starts from

    h^d_0 = W_up W_down m          (W_down m: the summary the decoder receives, H_m entries)

instead of ``h^d_0 = m``. Every function of this module (forward, backward, loss, greedy and
beam decoding, ``decoding_accuracy``) honours the two keys when ``dec`` has them; the decoder
is the one described above in every other respect, and a ``dec`` without them is unchanged.

``beam_search_decode`` keeps the B most probable prefixes instead of one: at each step every
kept prefix is extended by each of the K tokens, the B*K candidates are scored by their summed
log-probabilities ``sum_t log yhat_{t, y_t}`` and the best B are kept; a prefix that emits
``<eos>`` is finished and set aside, and the search ends after ``max_len`` steps or when B
prefixes are finished, returning the finished prefix of highest score per token (the plain sum
favours short outputs). Sutskever et al. (2014) decode this way; greedy decoding is B = 1.
"""

from __future__ import annotations

import numpy as np

from ._cells import GATES, check_cell, check_param_dict, sequence_backward, sequence_forward, step_forward
from ._validate import as_float_array, as_index_array, check_shape
from .activations import log_softmax
from .bidirectional import birnn_backward, birnn_forward
from .bptt import output_backward
from .data import one_hot
from .losses import sequence_cross_entropy, sequence_cross_entropy_backward
from .rnn import output_forward

__all__ = [
    "init_seq2seq_params",
    "seq2seq_encoder_forward",
    "seq2seq_encoder_backward",
    "seq2seq_forward",
    "seq2seq_backward",
    "seq2seq_loss_and_grads",
    "greedy_decode",
    "beam_search_decode",
    "decoding_accuracy",
]

MODEL_CELLS = ("rnn", "gru")
DEC_KEYS = ("U", "W", "b", "V", "c")
BOTTLENECK_KEYS = ("W_down", "W_up")


# ------------------------------------------------------------------ helpers


def _init_direction(rng, G, D, H):
    return {
        "U": rng.normal(0.0, 1 / np.sqrt(D), size=(G * H, D)),
        "W": rng.normal(0.0, 1 / np.sqrt(H), size=(G * H, H)),
        "b": np.zeros(G * H),
    }


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def check_rng(rng):
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    return rng


def is_bidirectional(enc):
    """True for an encoder dict ``{"fwd", "bwd"}``, False for ``{"U", "W", "b"}``; else ValueError."""
    if not isinstance(enc, dict):
        raise ValueError(f"enc must be a dict ({{'U','W','b'}} or {{'fwd','bwd'}}), got a {type(enc).__name__}")
    if "fwd" in enc or "bwd" in enc:
        if "fwd" not in enc or "bwd" not in enc:
            raise ValueError(f"enc has keys {sorted(enc)}, expected both 'fwd' and 'bwd' for a bidirectional encoder")
        return True
    check_param_dict(enc, "enc")
    return False


def check_tokens(Y, name, K, N=None):
    Y = as_index_array(Y, name, 2, upper=K)
    if N is not None and Y.shape[0] != N:
        raise ValueError(f"{name} has shape {Y.shape}, expected (N, T_y) with N = {N} (the batch of X)")
    if Y.shape[1] < 1:
        raise ValueError(f"{name} has shape {Y.shape}, expected at least one step (T_y >= 1)")
    return Y


def init_seq2seq_params(D, H, K, cell="rnn", bidirectional=True, rng=None, H_m=None):
    """Random parameters of an encoder-decoder; weights N(0, 1/fan_in), biases 0.

    Inputs:
    - D: source input size (one-hot source tokens: the source vocabulary), positive int.
    - H: encoder hidden size per direction, positive int.
    - K: target vocabulary size (decoder inputs are one-hot over it, outputs are K logits).
    - cell: ``"rnn"`` or ``"gru"``, for encoder and decoder.
    - bidirectional: a bidirectional encoder (then H_d = 2H) or a unidirectional one (H_d = H).
    - rng: a ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).
    - H_m: width of a bottleneck between the encoder and the decoder, a positive int, or None
      (the default: no bottleneck). With it, ``dec`` also holds ``W_down`` (H_m, H_d) and
      ``W_up`` (H_d, H_m), and the decoder starts from ``W_up W_down m`` (module docstring).
      They are drawn after every other parameter, so that the encoder and the decoder of a
      bottleneck model equal those of the model without one, drawn from the same seed.

    Returns a tuple of:
    - enc: ``{"fwd": {U (G*H, D), W (G*H, H), b (G*H,)}, "bwd": {...}}`` or ``{U, W, b}``.
    - dec: ``{U (G*H_d, K), W (G*H_d, H_d), b (G*H_d,), V (K, H_d), c (K,)}`` and, with
      ``H_m``, ``W_down`` (H_m, H_d) and ``W_up`` (H_d, H_m).
    """
    D, H, K = (_check_positive_int(v, n) for v, n in ((D, "D"), (H, "H"), (K, "K")))
    cell = check_cell(cell, MODEL_CELLS)
    if not isinstance(bidirectional, (bool, np.bool_)):
        raise ValueError(f"bidirectional must be True or False, got {bidirectional!r}")
    if H_m is not None:
        H_m = _check_positive_int(H_m, "H_m")
    rng = check_rng(rng)
    G = GATES[cell]
    if bidirectional:
        enc = {"fwd": _init_direction(rng, G, D, H), "bwd": _init_direction(rng, G, D, H)}
    else:
        enc = _init_direction(rng, G, D, H)
    H_d = 2 * H if bidirectional else H
    dec = _init_direction(rng, G, K, H_d)
    dec["V"] = rng.normal(0.0, 1 / np.sqrt(H_d), size=(K, H_d))
    dec["c"] = np.zeros(K)
    if H_m is not None:
        dec["W_down"] = rng.normal(0.0, 1 / np.sqrt(H_d), size=(H_m, H_d))
        dec["W_up"] = rng.normal(0.0, 1 / np.sqrt(H_m), size=(H_d, H_m))
    return enc, dec


# ------------------------------------------------------------------ encoder


def _encoder_hidden(enc, bidirectional):
    p = enc["fwd"] if bidirectional else enc
    return np.shape(p["W"])[1]


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    """Encode a batch of sources: every encoder state and the context m.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - enc: encoder parameters, ``{"U", "W", "b"}`` or ``{"fwd": {...}, "bwd": {...}}``.
    - cell: ``"rnn"`` or ``"gru"``.

    Returns a tuple of:
    - Hs_enc: encoder states h^e_j, shape (N, T_x, H), or (N, T_x, 2H) for a bidirectional
      encoder (forward half first, both halves aligned with time).
    - m: the context, the state that has read the whole source: shape (N, H), the encoder's
      state at the last position; or, for a bidirectional encoder, shape (N, 2H), the last state
      of each direction, the forward one's (at the last position) followed by the backward
      one's (at the first position).
    """
    cell = check_cell(cell, MODEL_CELLS)
    X = as_float_array(X, "X", 3)
    bi = is_bidirectional(enc)
    N = X.shape[0]
    H = _encoder_hidden(enc, bi)
    h0 = np.zeros((N, H), dtype=X.dtype)
    if bi:
        Hs_enc = birnn_forward(X, h0, h0, enc["fwd"], enc["bwd"], cell)
        m = np.concatenate([Hs_enc[:, -1, :H], Hs_enc[:, 0, H:]], axis=1)
    else:
        if X.shape[1] < 1:
            raise ValueError(f"X has shape {X.shape}, expected at least one time step (T_x >= 1)")
        try:
            Hs_enc, _ = sequence_forward(cell, X, h0, enc)
        except ValueError as err:
            raise ValueError(f"enc: {err}") from None
        m = Hs_enc[:, -1].copy()
    return Hs_enc, m


def seq2seq_encoder_backward(dHs_enc, dm, X, Hs_enc, enc, cell="rnn"):
    """Backward pass of ``seq2seq_encoder_forward``.

    The context's gradient ``dm`` is added to the gradients of the states it was copied from
    (the last forward state, and the backward direction's state at position 1), then BPTT
    runs through the encoder.

    Inputs:
    - dHs_enc: upstream gradients on the encoder states (from attention, or zeros), shape
      (N, T_x, H_e) with H_e = H or 2H.
    - dm: upstream gradient on the context, shape (N, H_e).
    - X: source inputs, shape (N, T_x, D).
    - Hs_enc: the encoder states ``seq2seq_encoder_forward`` returned, shape (N, T_x, H_e).
    - enc: encoder parameters.
    - cell: ``"rnn"`` or ``"gru"``.

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T_x, D).
    - denc: gradients of the encoder parameters, a dict shaped like ``enc``.
    """
    cell = check_cell(cell, MODEL_CELLS)
    X = as_float_array(X, "X", 3)
    bi = is_bidirectional(enc)
    N, T_x, _ = X.shape
    H = _encoder_hidden(enc, bi)
    H_e = 2 * H if bi else H
    dHs_enc = as_float_array(dHs_enc, "dHs_enc", 3)
    check_shape(dHs_enc, "dHs_enc", (N, T_x, H_e), "(N, T_x, 2H)" if bi else "(N, T_x, H)")
    dm = as_float_array(dm, "dm", 2)
    check_shape(dm, "dm", (N, H_e), "(N, 2H)" if bi else "(N, H)")
    dHs = dHs_enc.astype(np.result_type(dHs_enc, dm), copy=True)
    h0 = np.zeros((N, H), dtype=X.dtype)
    if bi:
        dHs[:, -1, :H] += dm[:, :H]
        dHs[:, 0, H:] += dm[:, H:]
        dX, _, _, dfwd, dbwd = birnn_backward(dHs, X, h0, h0, Hs_enc, enc["fwd"], enc["bwd"], cell)
        return dX, {"fwd": dfwd, "bwd": dbwd}
    dHs[:, -1] += dm
    dX, _, _, denc = sequence_backward(cell, dHs, X, h0, Hs_enc, enc)
    return dX, denc


# ------------------------------------------------------------------ decoder


def _check_decoder(dec, cell, H_d, K=None):
    check_param_dict(dec, "dec", DEC_KEYS)
    G = GATES[cell]
    W = np.shape(dec["W"])
    if W != (G * H_d, H_d):
        raise ValueError(
            f"dec['W'] has shape {W}, expected (G*H_d, H_d) = ({G * H_d}, {H_d}) for cell {cell!r}: "
            f"the decoder starts from the context m, whose size is H_d = {H_d}"
        )
    K = np.shape(dec["U"])[1] if K is None else K  # the decoder reads one-hot tokens over K
    for key, shape, label in (("U", (G * H_d, K), "(G*H_d, K)"), ("V", (K, H_d), "(K, H_d)"), ("c", (K,), "(K,)")):
        if np.shape(dec[key]) != shape:
            raise ValueError(f"dec[{key!r}] has shape {np.shape(dec[key])}, expected {label} = {shape}")
    present = [k for k in BOTTLENECK_KEYS if k in dec]
    if present:
        if len(present) == 1:
            raise ValueError(f"dec has {present[0]!r} alone: a bottleneck needs both {list(BOTTLENECK_KEYS)}")
        H_m = np.shape(dec["W_down"])[0] if np.ndim(dec["W_down"]) == 2 else 0
        for key, shape, label in (("W_down", (H_m, H_d), "(H_m, H_d)"), ("W_up", (H_d, H_m), "(H_d, H_m)")):
            if H_m < 1 or np.shape(dec[key]) != shape:
                raise ValueError(f"dec[{key!r}] has shape {np.shape(dec[key])}, expected {label} = {shape}")
    return K


def _decoder_start(m, dec):
    """The decoder's initial state: m, or ``W_up W_down m`` through a bottleneck (N on the rows)."""
    if "W_down" not in dec:
        return m
    return (m @ dec["W_down"].T) @ dec["W_up"].T


def _forward(X, Y_in, enc, dec, cell):
    """Teacher-forced forward pass keeping every intermediate the backward pass needs."""
    cell = check_cell(cell, MODEL_CELLS)
    Hs_enc, m = seq2seq_encoder_forward(X, enc, cell)
    K = _check_decoder(dec, cell, m.shape[1])
    Y_in = check_tokens(Y_in, "Y_in", K, X.shape[0])
    Xd = one_hot(Y_in, K)
    h0_dec = _decoder_start(m, dec)
    Hs_dec, _ = sequence_forward(cell, Xd, h0_dec, dec)
    O = output_forward(Hs_dec, dec["V"], dec["c"])
    return {"Hs_enc": Hs_enc, "m": m, "h0_dec": h0_dec, "Xd": Xd, "Hs_dec": Hs_dec, "O": O, "cell": cell}


def _backward(dO, X, enc, dec, fw):
    cell = fw["cell"]
    dO = as_float_array(dO, "dO", 3)
    check_shape(dO, "dO", fw["O"].shape, "(N, T_y, K)")
    dHs_dec, dV, dc = output_backward(dO, fw["Hs_dec"], dec["V"])
    _, dh0_dec, _, ddec = sequence_backward(cell, dHs_dec, fw["Xd"], fw["h0_dec"], fw["Hs_dec"], dec)
    ddec["V"], ddec["c"] = dV, dc
    if "W_down" in dec:
        # h0 = W_up z with z = W_down m: two linear maps, batch on the rows.
        z = fw["m"] @ dec["W_down"].T
        ddec["W_up"] = dh0_dec.T @ z
        dz = dh0_dec @ dec["W_up"]
        ddec["W_down"] = dz.T @ fw["m"]
        dm = dz @ dec["W_down"]
    else:
        dm = dh0_dec
    dX, denc = seq2seq_encoder_backward(np.zeros_like(fw["Hs_enc"]), dm, X, fw["Hs_enc"], enc, cell)
    return dX, denc, ddec


def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    """Encoder-decoder with teacher forcing: the logits of every target step.

    ``h^d_0 = m``, ``h^d_t = cell(onehot(Y_in[:, t]), h^d_{t-1}; dec)``, ``o_t = c + V h^d_t``.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - Y_in: decoder input tokens, shape (N, T_y), ints in [0, K): the targets shifted right by
      one with ``Y_in[:, 0] = bos``.
    - enc: encoder parameters (see ``init_seq2seq_params``).
    - dec: decoder parameters ``U`` (G*H_d, K), ``W`` (G*H_d, H_d), ``b`` (G*H_d,),
      ``V`` (K, H_d), ``c`` (K,).
    - cell: ``"rnn"`` or ``"gru"``.

    Returns:
    - O: logits, shape (N, T_y, K).
    """
    return _forward(X, Y_in, enc, dec, cell)["O"]


def seq2seq_backward(dO, X, Y_in, enc, dec, cell="rnn"):
    """Backward pass of ``seq2seq_forward`` (the forward pass is recomputed).

    Inputs:
    - dO: upstream gradients on the logits, shape (N, T_y, K).
    - X, Y_in, enc, dec, cell: as in ``seq2seq_forward``.

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T_x, D).
    - denc: gradients of the encoder parameters, a dict shaped like ``enc``.
    - ddec: gradients of the decoder parameters, a dict with ``U``, ``W``, ``b``, ``V``, ``c``.
    """
    fw = _forward(X, Y_in, enc, dec, cell)
    return _backward(dO, X, enc, dec, fw)


def seq2seq_loss_and_grads(X, Y_in, Y, enc, dec, cell="rnn"):
    """Teacher-forced loss of an encoder-decoder and its gradients.

    The loss is ``sequence_cross_entropy``: ``-log yhat_t[y_t]`` summed over the T_y steps,
    averaged over the batch.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - Y_in: decoder inputs, shape (N, T_y), ``Y_in[:, 0] = bos``, ``Y_in[:, t] = Y[:, t-1]``.
    - Y: targets, shape (N, T_y), ints in [0, K) (usually ending with eos).
    - enc, dec, cell: as in ``seq2seq_forward``; ``dec`` may also hold a bottleneck,
      ``W_down`` and ``W_up`` (module docstring), whose gradients ``ddec`` then holds too.

    Returns a tuple of:
    - loss: a Python float.
    - denc: dict shaped like ``enc``; ddec: dict with the keys of ``dec``.
    """
    fw = _forward(X, Y_in, enc, dec, cell)
    Y = check_tokens(Y, "Y", fw["O"].shape[2], fw["O"].shape[0])
    if Y.shape != fw["O"].shape[:2]:
        raise ValueError(f"Y has shape {Y.shape}, expected (N, T_y) = {fw['O'].shape[:2]} (the shape of Y_in)")
    loss = sequence_cross_entropy(fw["O"], Y)
    _, denc, ddec = _backward(sequence_cross_entropy_backward(fw["O"], Y), X, enc, dec, fw)
    return loss, denc, ddec


def check_decode_args(bos, eos, max_len, K, pad):
    for name, value in (("bos", bos), ("eos", eos)) + ((("pad", pad),) if pad is not None else ()):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < K:
            raise ValueError(f"{name} must be a token index in [0, {K}), got {value!r}")
    return _check_positive_int(max_len, "max_len")


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    """Greedy decoding: feed back the most probable token until eos or ``max_len`` tokens.

    ``y*_0 = bos``; ``h^d_t = cell(onehot(y*_{t-1}), h^d_{t-1})``, ``y*_t = argmax_k yhat_{t,k}``.
    A sequence is finished once it has emitted ``eos`` (which is kept in the output); the loop
    stops when every sequence is finished or after ``max_len`` steps.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - enc, dec, cell: as in ``seq2seq_forward``.
    - bos, eos: token indices in [0, K).
    - max_len: the most tokens to emit, a positive int.
    - pad: the token written after a sequence's eos (default: eos itself).

    Returns:
    - tokens: int array, shape (N, T) with T <= max_len: the emitted tokens of each sequence,
      its eos included, then ``pad``.
    """
    cell = check_cell(cell, MODEL_CELLS)
    _, m = seq2seq_encoder_forward(X, enc, cell)
    K = _check_decoder(dec, cell, m.shape[1])
    max_len = check_decode_args(bos, eos, max_len, K, pad)
    pad = eos if pad is None else pad
    N = m.shape[0]
    h = _decoder_start(m, dec)
    y = np.full(N, bos, dtype=np.int64)
    done = np.zeros(N, dtype=bool)
    tokens = []
    eye = np.eye(K, dtype=m.dtype)
    for _ in range(max_len):
        h = step_forward(cell, eye[y], h, dec["U"], dec["W"], dec["b"])
        y = np.argmax(h @ dec["V"].T + dec["c"], axis=1)
        tokens.append(np.where(done, pad, y))
        done |= y == eos
        if done.all():
            break
    return np.stack(tokens, axis=1)



def beam_search_decode(X, enc, dec, bos, eos, max_len, beam_width, cell="rnn", pad=None):
    """Beam search: keep the ``beam_width`` most probable prefixes instead of one.

    Each source is decoded separately. At every step each kept prefix is extended by each of
    the K tokens; a candidate's score is its log-probability ``sum_t log yhat_{t, y_t}`` and the
    ``beam_width`` best candidates are kept. A candidate ending with ``eos`` is finished and set
    aside. The search stops after ``max_len`` steps or once ``beam_width`` prefixes are finished;
    it returns the finished prefix (or, if none finished, the kept prefix) with the highest
    score per token, ``score / length``, since the plain sum favours short outputs. With
    ``beam_width = 1`` it is greedy decoding.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - enc, dec, cell: as in ``seq2seq_forward``.
    - bos, eos: token indices in [0, K); max_len: the most tokens to emit, a positive int.
    - beam_width: the number B of prefixes kept, a positive int.
    - pad: the token written after a sequence's end (default: eos itself).

    Returns a tuple of:
    - tokens: int array, shape (N, T) with T <= max_len: each sequence's best output, its eos
      included if it has one, then ``pad``.
    - scores: float array (N,), the log-probability of each returned output divided by its length.
    """
    cell = check_cell(cell, MODEL_CELLS)
    _, m = seq2seq_encoder_forward(X, enc, cell)
    K = _check_decoder(dec, cell, m.shape[1])
    max_len = check_decode_args(bos, eos, max_len, K, pad)
    beam_width = _check_positive_int(beam_width, "beam_width")
    pad = eos if pad is None else pad
    eye = np.eye(K, dtype=m.dtype)
    h0_dec = _decoder_start(m, dec)
    results = []
    for n in range(m.shape[0]):
        h = h0_dec[n : n + 1]
        scores = np.zeros(1)
        prefixes = [[]]
        finished = []  # (score per token, tokens)
        for step in range(max_len):
            last = [p[-1] if p else bos for p in prefixes]
            h_all = step_forward(cell, eye[last], h, dec["U"], dec["W"], dec["b"])
            total = scores[:, None] + log_softmax(h_all @ dec["V"].T + dec["c"])  # (B, K)
            best = np.argsort(-total, axis=None, kind="stable")[:beam_width]
            rows, toks = np.unravel_index(best, total.shape)
            keep_rows, keep_toks = [], []
            for r, k in zip(rows, toks):
                if k == eos:
                    finished.append((total[r, k] / (step + 1), prefixes[r] + [int(k)]))
                else:
                    keep_rows.append(r)
                    keep_toks.append(int(k))
            if len(finished) >= beam_width or not keep_rows:
                break
            prefixes = [prefixes[r] + [k] for r, k in zip(keep_rows, keep_toks)]
            scores = total[keep_rows, keep_toks]
            h = h_all[keep_rows]
        else:
            # Unfinished prefixes compete only when nothing finished: an output that never
            # emitted eos is not a whole output, whatever its score per token.
            if not finished:
                finished = [(s / max_len, p) for s, p in zip(scores, prefixes)]
        results.append(max(finished, key=lambda item: item[0]))
    T = max(len(p) for _, p in results)
    tokens = np.full((len(results), T), pad, dtype=np.int64)
    for n, (_, p) in enumerate(results):
        tokens[n, : len(p)] = p
    return tokens, np.array([s for s, _ in results])


def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    """How often an encoder-decoder emits its targets: greedily, and under teacher forcing.

    Greedy decoding runs for at most T_y steps (``greedy_decode(X, enc, dec, bos, eos, T_y,
    cell)``). Position t of sequence n counts as right when that sequence had not finished
    before t (no eos among its tokens at positions 0 .. t-1) and its token at t is ``Y[n, t]``;
    positions after a sequence's eos, and positions after decoding stopped, count as wrong.
    Under teacher forcing (``seq2seq_forward`` with ``Y_in = [bos, Y[:, :-1]]``) position t is
    right when the arg max of the logits ``O[n, t]`` is ``Y[n, t]``.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - Y: target tokens, shape (N, T_y), ints in [0, K) (usually ending with eos).
    - enc, dec, cell: as in ``seq2seq_forward``.
    - bos, eos: token indices in [0, K).

    Returns a tuple of:
    - sequence_accuracy: fraction of the N sequences whose T_y positions are all right when
      decoding greedily, a float.
    - token_accuracy: fraction of the N*T_y positions right when decoding greedily, a float.
    - forced_token_accuracy: fraction of the N*T_y positions right under teacher forcing, a float.
    """
    cell = check_cell(cell, MODEL_CELLS)
    X = as_float_array(X, "X", 3)
    K = _check_decoder(dec, cell, seq2seq_encoder_forward(X[:1], enc, cell)[1].shape[1])
    Y = check_tokens(Y, "Y", K, X.shape[0])
    check_decode_args(bos, eos, 1, K, None)
    N, T_y = Y.shape
    tokens = greedy_decode(X, enc, dec, bos, eos, T_y, cell)
    out = np.full((N, T_y), -1, dtype=np.int64)  # -1: a position the decoder never reached
    out[:, : tokens.shape[1]] = tokens
    ended = np.cumsum(out == eos, axis=1)
    finished_before = np.concatenate([np.zeros((N, 1), dtype=bool), ended[:, :-1] > 0], axis=1)
    right = (out == Y) & ~finished_before
    Y_in = np.concatenate([np.full((N, 1), bos, dtype=Y.dtype), Y[:, :-1]], axis=1)
    forced = seq2seq_forward(X, Y_in, enc, dec, cell).argmax(axis=2) == Y
    return float(right.all(axis=1).mean()), float(right.mean()), float(forced.mean())
