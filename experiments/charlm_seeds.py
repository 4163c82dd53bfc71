"""Chapter 9's LSTM language model trained from several seeds.

The chapter trains one model (seed 0) in its build. This script trains the same model, with the
same data, sizes and budget, from seeds 0 to 4, and measures for each what the chapter's prose
says about its one model: the validation perplexity against the Kneser-Ney n-gram baseline and
their mixture, the perplexity PPL(ell) with the state reset every ell characters (to zero, and to
the average state over training text) and the cost psi(ell) of one reset, and how well the cells'
activations correlate with five features of the text. It also runs untrained networks from many
seeds: the null distribution that a trained cell has to beat, and PPL(ell) and psi(ell) of a
network that has learned nothing.
"""

import io
import tokenize

import numpy as np

import rnncourse as rc

DESCRIPTION = (
    "Chapter 9's LSTM language model from 5 seeds: perplexity against the n-gram baseline, "
    "PPL(ell) and reset cost psi(ell) from the zero and the average state, cell-feature "
    "correlations; the same context measurements and correlations for 20 untrained draws"
)
DEPENDS = [
    "rnncourse/charlm.py",
    "rnncourse/gated.py",
    "rnncourse/rnn.py",
    "rnncourse/optim.py",
    "rnncourse/bptt.py",
    "rnncourse/activations.py",
    "rnncourse/losses.py",
    "rnncourse/data.py",
    "rnncourse/_validate.py",
]

# The chapter's model and budget (book/09_character_language_models.md, "Training an LSTM").
CONFIG = {"H": 128, "N": 32, "chunk_length": 64, "n_updates": 800, "lr": 4e-3, "max_norm": 30.0,
          "dtype": "float32", "eval_every": 100}
# The chapter's context measurement: 64 rows of 257 characters, resets every ell characters.
N_CTX, T_CTX = 64, 257
ELLS = [1, 2, 4, 8, 16, 32, 64, 128, T_CTX - 1]
ORDERS = list(range(1, 8))
FEATURES = ["in string", "in comment", "column", "indentation", "open brackets"]


def character_features(text):
    """Per character: in a string, in a comment, column, indentation, open brackets (as the chapter)."""
    n = len(text)
    in_string, in_comment, depth = np.zeros(n), np.zeros(n), np.zeros(n)
    line_starts = np.r_[0, np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), np.uint32) == 10) + 1]
    opened = 0
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        a = line_starts[tok.start[0] - 1] + tok.start[1]
        b = line_starts[tok.end[0] - 1] + tok.end[1]
        if tok.type == tokenize.STRING:
            in_string[a:b] = 1
        elif tok.type == tokenize.COMMENT:
            in_comment[a:b] = 1
        elif tok.type == tokenize.OP and tok.string in "([{":
            opened += 1
            depth[b:] = opened
        elif tok.type == tokenize.OP and tok.string in ")]}":
            opened -= 1
            depth[a:] = opened
    column, indent = np.zeros(n), np.zeros(n)
    for row_start, row_end in zip(line_starts, np.r_[line_starts[1:], n]):
        line = text[row_start:row_end]
        column[row_start:row_end] = np.arange(row_end - row_start)
        indent[row_start:row_end] = len(line) - len(line.lstrip(" ")) if line.strip() else 0
    return {"in string": in_string, "in comment": in_comment, "column": column,
            "indentation": indent, "open brackets": depth}


def _standardise(A):
    return (A - A.mean(0)) / np.maximum(A.std(0), 1e-12)


def cell_statistics(Cs, feats):
    """Best absolute correlation over the cells, and the cell, for each feature and three partial
    correlations: brackets given the column, the column given brackets, comments given prose."""
    A = _standardise(np.tanh(Cs.astype(np.float64)))
    n = len(A)
    r = {name: _standardise(values) @ A / n for name, values in feats.items()}
    prose = np.maximum(feats["in comment"], feats["in string"])
    r["prose"] = _standardise(prose) @ A / n

    def partial(x, z, xz):
        # correlation of every cell with x once the linear effect of z is removed from both
        return (r[x] - xz * r[z]) / np.sqrt(np.maximum((1 - xz**2) * (1 - r[z] ** 2), 1e-12))

    r_bc = float(np.corrcoef(feats["open brackets"], feats["column"])[0, 1])
    r_cp = float(np.corrcoef(feats["in comment"], prose)[0, 1])
    scores = {name: r[name] for name in FEATURES}
    scores["open brackets | column"] = partial("open brackets", "column", r_bc)
    scores["column | open brackets"] = partial("column", "open brackets", r_bc)
    scores["in comment | prose"] = partial("in comment", "prose", r_cp)
    out = {}
    for name, values in scores.items():
        cell = int(np.argmax(np.abs(values)))
        out[name] = {"best_abs": float(abs(values[cell])), "cell": cell, "value": float(values[cell])}
    best_comment = out["in comment"]["cell"]
    out["comment cell"] = {"r_comment": float(r["in comment"][best_comment]),
                           "r_prose": float(r["prose"][best_comment])}
    return out


def context_measurements(params, ctx_ids, state=None):
    """Read ctx_ids with the state reset every ell characters, to zero or to ``state`` (h, C of
    shape (H,) each): the perplexity PPL(ell) for every ell, and psi(ell) per row for every ell but
    the last, (E - 1, N), the mean loss that one reset adds to the ell predictions after it."""
    def losses(ell):
        pieces = ctx_ids[:, :-1].reshape(-1, ell)
        h0 = C0 = None
        if state is not None:
            h0, C0 = (np.tile(s.astype(params["W"].dtype), (len(pieces), 1)) for s in state)
        O = rc.lm_forward(params, pieces, h0, C0)[0]
        log_p = rc.log_softmax(O.astype(np.float64))
        picked = np.take_along_axis(log_p, ctx_ids[:, 1:].reshape(-1, ell, 1), axis=2)
        return -picked.reshape(len(ctx_ids), -1)

    by_ell = {ell: losses(ell) for ell in ELLS}
    ppl = [float(np.exp(by_ell[ell].mean())) for ell in ELLS]
    no_reset = by_ell[T_CTX - 1]
    per_row = []
    for ell in ELLS[:-1]:
        extra = by_ell[ell] - no_reset
        per_row.append(extra.reshape(len(ctx_ids), -1, ell).sum(axis=2)[:, 1:].mean(axis=1))
    return ppl, np.array(per_row)


def typical_state(params, train_ids):
    """The mean (h, C) over the first 16 000 training characters read as 16 rows (as the chapter)."""
    _, Hs, Cs = rc.lm_forward(params, rc.batch_stream(train_ids[: 16 * 1000], 16))
    return tuple(S.reshape(-1, S.shape[-1]).mean(axis=0) for S in (Hs, Cs))


def run(smoke, progress):
    seeds = [0] if smoke else [0, 1, 2, 3, 4]
    untrained_seeds = list(range(2)) if smoke else list(range(20))
    n_updates = 4 if smoke else CONFIG["n_updates"]
    dtype = np.dtype(CONFIG["dtype"])
    H, N, ell_train = CONFIG["H"], CONFIG["N"], CONFIG["chunk_length"]

    train_text, val_text = rc.python_corpus("train"), rc.python_corpus("validation")
    vocab = rc.build_vocab(train_text)
    K = len(vocab)
    train_ids, val_ids = rc.encode_text(train_text, vocab), rc.encode_text(val_text, vocab)

    kn = {o: rc.fit_ngram(train_ids, o, K, smoothing="kneser-ney") for o in ORDERS}
    kn_ppl = [float(np.exp(-np.mean(rc.ngram_log_probs(kn[o], val_ids)))) for o in ORDERS]
    best_order = ORDERS[int(np.argmin(kn_ppl))]
    log_p_kn = rc.ngram_log_probs(kn[best_order], val_ids)

    row_starts = np.linspace(0, len(val_ids) - T_CTX, N_CTX).astype(int)
    ctx_ids = np.stack([val_ids[s : s + T_CTX] for s in row_starts])
    # the state after reading character t is aligned with the features of character t
    feats = {k: v[:-1] for k, v in character_features(val_text).items()}
    targets = val_ids[1:]

    trained, arrays = [], {}
    for seed in progress(seeds, "training seeds"):
        model = rc.init_lm_params(K, H, rng=np.random.default_rng(seed), dtype=dtype)
        history = rc.train_lm(model, train_ids, val_ids, N, ell_train, n_updates, lr=CONFIG["lr"],
                              max_norm=CONFIG["max_norm"], eval_every=CONFIG["eval_every"], progress=False)
        O_val, _, Cs_val = rc.lm_forward(model, val_ids[None, :-1])
        log_p = rc.log_softmax(O_val[0].astype(np.float64))[np.arange(len(targets)), targets]
        log_p_mix = np.logaddexp(log_p, log_p_kn) + np.log(0.5)
        single = float(np.exp(-log_p.mean()))
        ppl_ell, psi_rows = context_measurements(model, ctx_ids)
        ppl_typical, psi_typical_rows = context_measurements(model, ctx_ids, typical_state(model, train_ids))
        i16, i128 = ELLS.index(16), ELLS.index(128)
        diff = psi_rows[i128] - psi_rows[i16]
        trained.append({
            "seed": seed,
            "train_seconds": float(history["seconds"]),
            "val_ppl": float(np.exp(history["val_loss"][-1])),
            "single_row_ppl": single,
            "mix_ppl": float(np.exp(-log_p_mix.mean())),
            "lstm_better": float(np.mean(log_p > log_p_kn)),
            "matching_order": max([o for o in ORDERS if kn_ppl[o - 1] >= single], default=0),
            "ppl_by_ell": ppl_ell,
            "ppl_by_ell_typical": ppl_typical,
            "psi_typical": psi_typical_rows.mean(axis=1).tolist(),
            "psi": psi_rows.mean(axis=1).tolist(),
            "psi_se": (psi_rows.std(axis=1, ddof=1) / np.sqrt(N_CTX)).tolist(),
            "psi_128_minus_16": float(diff.mean()),
            "psi_128_minus_16_se": float(diff.std(ddof=1) / np.sqrt(N_CTX)),
            "cells": cell_statistics(Cs_val[0], feats),
        })
        arrays[f"val_loss_seed{seed}"] = np.asarray(history["val_loss"])

    untrained = []
    for seed in progress(untrained_seeds, "untrained draws"):
        model = rc.init_lm_params(K, H, rng=np.random.default_rng(seed), dtype=dtype)
        Cs_val = rc.lm_forward(model, val_ids[None, :-1])[2]
        ppl_ell, psi_rows = context_measurements(model, ctx_ids)
        untrained.append({"seed": seed, "cells": cell_statistics(Cs_val[0], feats),
                          "ppl_by_ell": ppl_ell, "psi": psi_rows.mean(axis=1).tolist()})

    return {
        "seeds": seeds,
        "budget": {**CONFIG, "n_updates": n_updates, "training_characters": n_updates * N * ell_train,
                   "untrained_seeds": untrained_seeds, "validation_characters": len(val_ids)},
        "data": {"K": K, "kn_ppl": kn_ppl, "kn_orders": ORDERS, "best_order": best_order,
                 "ells": ELLS, "N_ctx": N_CTX, "T_ctx": T_CTX, "features": FEATURES,
                 "trained": trained, "untrained": untrained},
        "arrays": arrays,
    }
