"""rnncourse: the numpy reference implementation of the course "Recurrent Neural Networks".

One module per topic, named as in the book:

- ``activations``: sigmoid, softmax, log-softmax (numerically stable)
- ``losses``: cross-entropy for a single prediction and for a sequence
- ``rnn``: the vanilla (Elman) RNN forward passes, many-to-one and stacked variants
- ``bptt``: backpropagation through time for the vanilla and stacked RNNs
- ``gated``: gated units: LSTM, peephole and coupled-gate LSTMs, GRU (and Cho et al.'s
  form), step and sequence forward and backward passes
- ``leaky``: leaky units (time constants): forward and backward
- ``esn``: echo state networks: spectral-radius scaling, ridge readout, memory capacity
- ``gradcheck``: centred-difference gradients and the relative error
- ``optim``: parameter updates (gradient descent, Adam) and gradient clipping
- ``longterm``: spectral radius, powers of W, hidden-state Jacobians, gradient norms through time
- ``training``: loss and gradients of a sequence, truncated-BPTT training, sampling
- ``data``: the identical-halves task, the "hello" example, one-hot encoding
- ``charlm``: character-level language models: a corpus, vocabulary and batching, an LSTM
  language model (training, sampling with temperature, perplexity), an n-gram baseline
- ``grading``: the checks the assignments' test cells call
- ``plotting``: the book's figures (unrolled graphs, task diagrams, heat maps); not imported
  here, so that ``import rnncourse`` does not load matplotlib: use ``from rnncourse import plotting``
"""

from .activations import log_softmax, sigmoid, softmax
from .data import decode, encode, hello_example, identical_halves, one_hot
from .bptt import output_backward, rnn_backward, rnn_step_backward, stacked_rnn_backward
from .gated import (
    coupled_lstm_forward,
    coupled_lstm_step_forward,
    gru_backward,
    gru_cho_step_forward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
    lstm_backward,
    lstm_gradient_norms_through_time,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
    peephole_lstm_backward,
    peephole_lstm_forward,
    peephole_lstm_step_backward,
    peephole_lstm_step_forward,
)
from .gradcheck import gradient_errors, numerical_gradient, relative_error
from .leaky import leaky_rnn_backward, leaky_rnn_forward
from .esn import (
    esn_forecast,
    esn_states,
    mackey_glass,
    make_reservoir,
    memory_capacity,
    nmse,
    ridge_readout,
    scale_to_spectral_radius,
)
from .losses import cross_entropy, sequence_cross_entropy, sequence_cross_entropy_backward
from .longterm import gradient_norms_through_time, hidden_state_jacobian, matrix_power_eigen, spectral_radius
from .optim import adam_step, clip_by_norm, clip_by_value, global_norm, sgd_step
from .rnn import (
    init_rnn_params,
    many_to_one_forward,
    output_forward,
    rnn_forward,
    rnn_step_forward,
    stacked_rnn_forward,
)
from .training import rnn_loss_and_grads, sample, train_truncated_bptt
from .charlm import (
    CORPUS_FILES,
    UNKNOWN,
    batch_stream,
    bpc,
    build_vocab,
    decode_text,
    encode_text,
    evaluate_lm,
    fit_ngram,
    init_lm_params,
    lm_forward,
    lm_loss_and_grads,
    lm_train_step,
    ngram_distribution,
    ngram_log_probs,
    perplexity,
    python_corpus,
    sample_lm,
    temperature_softmax,
    train_lm,
    truncated_bptt_chunks,
)

__version__ = "0.1.0"

__all__ = [
    "sigmoid",
    "softmax",
    "log_softmax",
    "cross_entropy",
    "sequence_cross_entropy",
    "init_rnn_params",
    "rnn_step_forward",
    "rnn_forward",
    "output_forward",
    "many_to_one_forward",
    "stacked_rnn_forward",
    "numerical_gradient",
    "relative_error",
    "gradient_errors",
    "sequence_cross_entropy_backward",
    "output_backward",
    "rnn_step_backward",
    "rnn_backward",
    "stacked_rnn_backward",
    "sgd_step",
    "adam_step",
    "global_norm",
    "clip_by_norm",
    "clip_by_value",
    "spectral_radius",
    "matrix_power_eigen",
    "hidden_state_jacobian",
    "gradient_norms_through_time",
    "rnn_loss_and_grads",
    "train_truncated_bptt",
    "sample",
    "one_hot",
    "encode",
    "decode",
    "identical_halves",
    "hello_example",
    "leaky_rnn_forward",
    "leaky_rnn_backward",
    "scale_to_spectral_radius",
    "make_reservoir",
    "esn_states",
    "ridge_readout",
    "memory_capacity",
    "esn_forecast",
    "nmse",
    "mackey_glass",
    "lstm_step_forward",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
    "lstm_gradient_norms_through_time",
    "peephole_lstm_step_forward",
    "peephole_lstm_step_backward",
    "peephole_lstm_forward",
    "peephole_lstm_backward",
    "coupled_lstm_step_forward",
    "coupled_lstm_forward",
    "gru_step_forward",
    "gru_step_backward",
    "gru_forward",
    "gru_backward",
    "gru_cho_step_forward",
    "UNKNOWN",
    "CORPUS_FILES",
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
    "train_lm",
    "evaluate_lm",
    "temperature_softmax",
    "sample_lm",
    "perplexity",
    "bpc",
    "fit_ngram",
    "ngram_log_probs",
    "ngram_distribution",
]
