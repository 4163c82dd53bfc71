"""Tests for rnncourse.transduction: the digit task, the trainer and the accuracy."""

import numpy as np
import pytest

from rnncourse import init_attention_seq2seq_params, init_seq2seq_params
from rnncourse.transduction import (
    BOS,
    EOS,
    PAD,
    TRANSDUCTION_VOCAB,
    digit_transduction_task,
    train_transduction,
    transduction_accuracy,
)


def test_vocabulary_and_special_tokens():
    assert len(TRANSDUCTION_VOCAB) == 13
    assert (TRANSDUCTION_VOCAB[PAD], TRANSDUCTION_VOCAB[BOS], TRANSDUCTION_VOCAB[EOS]) == ("<pad>", "<bos>", "<eos>")
    assert TRANSDUCTION_VOCAB[3:] == tuple("0123456789")


@pytest.mark.parametrize("task", ["reverse", "sort"])
def test_task_targets(task):
    src, Y_in, Y = digit_transduction_task(50, 6, task, np.random.default_rng(0))
    assert src.shape == (50, 6) and Y_in.shape == Y.shape == (50, 7)
    assert src.min() >= 3 and src.max() <= 12
    assert (Y_in[:, 0] == BOS).all() and (Y[:, -1] == EOS).all()
    np.testing.assert_array_equal(Y_in[:, 1:], Y[:, :-1])  # teacher forcing: shifted right by one
    for s, y in zip(src, Y):
        want = s[::-1] if task == "reverse" else sorted(s)
        np.testing.assert_array_equal(y[:-1], want)
    src2, _, _ = digit_transduction_task(50, 6, task, np.random.default_rng(0))
    np.testing.assert_array_equal(src, src2)


@pytest.mark.parametrize("attention", [False, True])
def test_training_learns_short_reversal(attention):
    # Length 3, a few hundred updates: the loss per token must fall well below its start
    # (log 13 = 2.56 for a uniform guess) and greedy decoding must get most strings right.
    rng = np.random.default_rng(0)
    if attention:
        enc, dec = init_attention_seq2seq_params(13, 16, 13, 16, rng=rng)
    else:
        enc, dec = init_seq2seq_params(13, 16, 13, rng=rng)
    before = transduction_accuracy(enc, dec, 3, n=200, attention=attention)
    losses = train_transduction(enc, dec, 3, 300, attention=attention, lr=0.02)
    assert losses.shape == (300,)
    assert losses[0] > 2.3 and losses[-20:].mean() < 0.5
    seq_acc, tok_acc = transduction_accuracy(enc, dec, 3, n=200, attention=attention)
    assert seq_acc > 0.8 and tok_acc > 0.9
    assert before[0] < 0.05


def test_bad_inputs_name_the_argument():
    enc, dec = init_seq2seq_params(13, 4, 13)
    with pytest.raises(ValueError, match="task"):
        digit_transduction_task(3, 4, "copy")
    with pytest.raises(ValueError, match="length"):
        digit_transduction_task(3, 0)
    with pytest.raises(ValueError, match="n_steps"):
        train_transduction(enc, dec, 3, 0)
    with pytest.raises(ValueError, match="max_norm"):
        train_transduction(enc, dec, 3, 1, max_norm=-1.0)
    with pytest.raises(ValueError, match="rng"):
        transduction_accuracy(enc, dec, 3, rng=3)


@pytest.mark.parametrize("H_m", [None, 2])
def test_training_in_two_calls_with_one_adam_state_is_one_run(H_m):
    # Checkpoints of one run (the bottleneck experiment) rely on this.
    def fresh():
        return init_seq2seq_params(13, 4, 13, rng=np.random.default_rng(1), H_m=H_m)

    enc1, dec1 = fresh()
    losses1 = train_transduction(enc1, dec1, 3, 40, rng=np.random.default_rng(2))
    enc2, dec2 = fresh()
    rng, state = np.random.default_rng(2), {}
    losses2 = np.concatenate([train_transduction(enc2, dec2, 3, 15, rng=rng, adam_state=state),
                              train_transduction(enc2, dec2, 3, 25, rng=rng, adam_state=state)])
    np.testing.assert_array_equal(losses1, losses2)
    for a, b in zip((enc1["fwd"]["W"], dec1["W"], dec1["V"]), (enc2["fwd"]["W"], dec2["W"], dec2["V"])):
        np.testing.assert_array_equal(a, b)
    assert state["step"] == 40
    # without the shared state, Adam restarts its running means: not the same run
    enc3, dec3 = fresh()
    rng = np.random.default_rng(2)
    train_transduction(enc3, dec3, 3, 15, rng=rng)
    train_transduction(enc3, dec3, 3, 25, rng=rng)
    assert not np.array_equal(dec3["W"], dec1["W"])
    with pytest.raises(ValueError, match="adam_state"):
        train_transduction(enc3, dec3, 3, 1, adam_state=[])
