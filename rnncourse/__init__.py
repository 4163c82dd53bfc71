"""rnncourse: the numpy reference implementation of the course "Recurrent Neural Networks".

One module per topic, named as in the book:

- ``activations``: sigmoid, softmax, log-softmax (numerically stable)
- ``losses``: cross-entropy for a single prediction and for a sequence
- ``rnn``: the vanilla (Elman) RNN forward passes, many-to-one and stacked variants
- ``bptt``: backpropagation through time for the vanilla and stacked RNNs
- ``gated``: gated units: LSTM, peephole and coupled-gate LSTMs, GRU (and Cho et al.'s
  form), step and sequence forward and backward passes
- ``leaky``: leaky units (time constants): forward and backward; skip connections through time
- ``esn``: echo state networks: spectral-radius scaling, ridge readout, memory capacity (also against the
  spectral radius)
- ``gradcheck``: centred-difference gradients, the relative error, and the error against the step size
- ``optim``: parameter updates (gradient descent, Adam) and gradient clipping
- ``longterm``: spectral radius, powers of W and their eigen-components, hidden-state Jacobians, gradient
  norms through time and their decay rate, the information-flow regulariser
- ``gradient_flow``: norms of Jacobian products through time beside the spectral radius and the
  singular-value bound; clipping by the global norm that also returns the norm
- ``training``: loss and gradients of a sequence, truncated-BPTT training, sampling
- ``data``: the identical-halves task, the "hello" example, first-symbol recall, one-hot encoding,
  the copy and repeat-copy tasks
- ``sequence_tasks``: many-to-one RNN, LSTM and GRU classifiers, trained with Adam and clipping
- ``bidirectional``: bidirectional RNNs over the vanilla, LSTM and GRU cells, forward and backward
- ``seq2seq``: encoder-decoders: context vector, teacher forcing, greedy decoding, gradients
- ``attention``: additive and dot-product attention, weights, context, attention decoder and model
- ``dot_attention``: dot-product attention end to end (scores, masked weights, contexts) and its
  backward pass, also with learned projections of the decoder and encoder states
- ``transduction``: the digit reversal/sorting task of chapters 6-7 and its trainer (Adam, clipping)
- ``ntm``: Neural Turing Machine memory: content and location addressing, read, erase/add
  write, each with its backward pass
- ``ntm_memory``: one step of the NTM's memory, the write and then the read
- ``ntm_model``: a trainable NTM (LSTM controller, one read and one write head) with its
  backward pass through time, the LSTM baseline of the same size, the copy loss and bit count
- ``act``: adaptive computation time: halting distribution, ponder cost, an ACT RNN step
- ``charlm``: character-level language models: a corpus, vocabulary and batching, an LSTM
  language model (training, sampling with temperature, perplexity), an n-gram baseline
- ``grading``: the checks the assignments' test cells call
- ``plotting``: the book's figures (unrolled graphs, task diagrams, heat maps); not imported
  here, so that ``import rnncourse`` does not load matplotlib: use ``from rnncourse import plotting``
"""

from .activations import log_softmax, sigmoid, softmax
from .data import copy_task, decode, encode, first_symbol_recall, hello_example, identical_halves, one_hot, repeat_copy_task
from .bptt import output_backward, rnn_backward, rnn_step_backward, stacked_rnn_backward
from .gated import (
    cell_gradient_decay_rate,
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
from .gradcheck import gradient_errors, numerical_gradient, relative_error, step_size_errors
from .leaky import leaky_rnn_backward, leaky_rnn_forward, skip_rnn_forward, skip_rnn_state_jacobians
from .esn import (
    esn_forecast,
    esn_states,
    mackey_glass,
    make_reservoir,
    memory_capacity,
    memory_capacity_by_radius,
    nmse,
    ridge_readout,
    scale_to_spectral_radius,
)
from .gradient_flow import clip_gradients, jacobian_product_norms
from .losses import cross_entropy, sequence_cross_entropy, sequence_cross_entropy_backward
from .longterm import (
    eigen_components,
    gradient_decay_rate,
    gradient_norms_through_time,
    hidden_state_jacobian,
    information_flow,
    matrix_power_eigen,
    spectral_radius,
)
from .optim import adam_step, clip_by_norm, clip_by_value, global_norm, sgd_step
from .rnn import (
    init_rnn_params,
    many_to_one_forward,
    output_forward,
    rnn_forward,
    rnn_step_forward,
    stacked_rnn_forward,
)
from .sequence_tasks import (
    classifier_accuracy,
    classifier_logits,
    classifier_loss_and_grads,
    init_classifier_params,
    train_classifier,
)
from .training import rnn_loss_and_grads, sample, train_truncated_bptt
from .ntm import (
    circular_shift,
    circular_shift_backward,
    content_addressing,
    content_addressing_backward,
    cosine_similarity,
    interpolate_weights,
    interpolate_weights_backward,
    memory_read,
    memory_read_backward,
    memory_write,
    memory_write_backward,
    ntm_addressing,
    ntm_addressing_backward,
    sharpen,
    sharpen_backward,
)
from .ntm_memory import memory_step
from .ntm_model import (
    copy_bit_errors,
    copy_loss,
    init_lstm_copy_params,
    init_ntm_params,
    lstm_copy_forward,
    lstm_copy_loss_and_grads,
    ntm_backward,
    ntm_forward,
    ntm_loss_and_grads,
)
from .act import act_halting_distribution, act_halting_distribution_backward, act_step_forward, ponder_cost
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
    lm_step,
    lm_train_step,
    lstm_chunk,
    ngram_distribution,
    ngram_log_probs,
    perplexity,
    perplexity_by_context,
    python_corpus,
    sample_index,
    sample_lm,
    sample_sequence,
    tbptt_step,
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
    "step_size_errors",
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
    "eigen_components",
    "gradient_decay_rate",
    "information_flow",
    "jacobian_product_norms",
    "clip_gradients",
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
    "first_symbol_recall",
    "init_classifier_params",
    "classifier_logits",
    "classifier_loss_and_grads",
    "classifier_accuracy",
    "train_classifier",
    "leaky_rnn_forward",
    "leaky_rnn_backward",
    "skip_rnn_forward",
    "skip_rnn_state_jacobians",
    "scale_to_spectral_radius",
    "make_reservoir",
    "esn_states",
    "ridge_readout",
    "memory_capacity",
    "memory_capacity_by_radius",
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
    "cell_gradient_decay_rate",
    "copy_task",
    "repeat_copy_task",
    "cosine_similarity",
    "content_addressing",
    "content_addressing_backward",
    "interpolate_weights",
    "interpolate_weights_backward",
    "circular_shift",
    "circular_shift_backward",
    "sharpen",
    "sharpen_backward",
    "ntm_addressing",
    "ntm_addressing_backward",
    "memory_read",
    "memory_read_backward",
    "memory_write",
    "memory_write_backward",
    "memory_step",
    "init_ntm_params",
    "ntm_forward",
    "ntm_backward",
    "ntm_loss_and_grads",
    "init_lstm_copy_params",
    "lstm_copy_forward",
    "lstm_copy_loss_and_grads",
    "copy_loss",
    "copy_bit_errors",
    "act_halting_distribution",
    "act_halting_distribution_backward",
    "ponder_cost",
    "act_step_forward",
]

# Chapters 6 and 7: bidirectional RNNs, encoder-decoders, attention, the transduction task.
from .bidirectional import birnn_backward, birnn_forward
from .seq2seq import (
    beam_search_decode,
    greedy_decode,
    init_seq2seq_params,
    seq2seq_backward,
    seq2seq_encoder_backward,
    seq2seq_encoder_forward,
    seq2seq_forward,
    seq2seq_loss_and_grads,
)
from .attention import (
    additive_attention_backward,
    additive_attention_forward,
    attention_context,
    attention_context_backward,
    attention_decoder_step_backward,
    attention_decoder_step_forward,
    attention_greedy_decode,
    attention_seq2seq_backward,
    attention_seq2seq_forward,
    attention_seq2seq_loss_and_grads,
    attention_weights,
    attention_weights_backward,
    dot_product_attention_scores,
    dot_product_attention_scores_backward,
    init_attention_seq2seq_params,
)
from .dot_attention import (
    dot_product_attention,
    dot_product_attention_backward,
    projected_attention_backward,
    projected_attention_forward,
)
from .transduction import (
    BOS,
    EOS,
    PAD,
    TRANSDUCTION_VOCAB,
    digit_transduction_task,
    train_transduction,
    transduction_accuracy,
)

__all__ += [
    "birnn_forward",
    "birnn_backward",
    "init_seq2seq_params",
    "seq2seq_encoder_forward",
    "seq2seq_encoder_backward",
    "seq2seq_forward",
    "seq2seq_backward",
    "seq2seq_loss_and_grads",
    "greedy_decode",
    "beam_search_decode",
    "additive_attention_forward",
    "additive_attention_backward",
    "dot_product_attention_scores",
    "dot_product_attention_scores_backward",
    "attention_weights",
    "attention_weights_backward",
    "attention_context",
    "attention_context_backward",
    "dot_product_attention",
    "dot_product_attention_backward",
    "projected_attention_forward",
    "projected_attention_backward",
    "attention_decoder_step_forward",
    "attention_decoder_step_backward",
    "init_attention_seq2seq_params",
    "attention_seq2seq_forward",
    "attention_seq2seq_backward",
    "attention_seq2seq_loss_and_grads",
    "attention_greedy_decode",
    "PAD",
    "BOS",
    "EOS",
    "TRANSDUCTION_VOCAB",
    "digit_transduction_task",
    "train_transduction",
    "transduction_accuracy",
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

# Assignments 6 and 7: the measured bottleneck and the measured alignment.
from .seq2seq import decoding_accuracy
from .attention import reversal_alignment

__all__ += ["decoding_accuracy", "reversal_alignment"]
