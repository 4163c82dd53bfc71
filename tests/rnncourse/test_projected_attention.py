"""Tests for rnncourse.dot_attention's attention with learned projections, and its backward pass.

The forward pass is compared with loops written here, one projection entry and one score at a
time, with math.exp; the backward pass with centred differences in float64 (relative error
< 1e-7) for all five gradients, with and without the scale and the mask, and for N = 1 and
T_y = T_x = 1. Sizes are all different (N = 2, T_y = 3, T_x = 4, H = 5, H_e = 6, H_a = 3,
H_v = 2), so a transposed weight or a sum over the wrong axis fails.
"""

import math

import numpy as np
import pytest

from rnncourse import (
    dot_product_attention,
    numerical_gradient,
    projected_attention_backward,
    projected_attention_forward,
    relative_error,
)

TOL = 1e-7
SIZES = {"N": 2, "T_y": 3, "T_x": 4, "H": 5, "H_e": 6, "H_a": 3, "H_v": 2}
MASK = np.array([[True, False, True, True], [False, True, True, False]])


def draw(seed, N, T_y, T_x, H, H_e, H_a, H_v):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(N, T_y, H)), rng.normal(size=(N, T_x, H_e)), rng.normal(size=(H_a, H)),
            rng.normal(size=(H_a, H_e)), rng.normal(size=(H_v, H_e)))


def naive(Hs_dec, Hs_enc, W_q, U_k, U_v, scaled, mask):
    N, T_y, H = Hs_dec.shape
    T_x, H_e = Hs_enc.shape[1:]
    H_a, H_v = W_q.shape[0], U_v.shape[0]
    s = math.sqrt(H_a) if scaled else 1.0
    Ms, alpha = np.zeros((N, T_y, H_v)), np.zeros((N, T_y, T_x))
    for n in range(N):
        keys = [[sum(U_k[a, e] * Hs_enc[n, j, e] for e in range(H_e)) for a in range(H_a)] for j in range(T_x)]
        values = [[sum(U_v[c, e] * Hs_enc[n, j, e] for e in range(H_e)) for c in range(H_v)] for j in range(T_x)]
        for t in range(T_y):
            q = [sum(W_q[a, i] * Hs_dec[n, t, i] for i in range(H)) for a in range(H_a)]
            keep = [j for j in range(T_x) if mask is None or mask[n, j]]
            scores = {j: sum(q[a] * keys[j][a] for a in range(H_a)) / s for j in keep}
            top = max(scores.values())
            total = sum(math.exp(e - top) for e in scores.values())
            for j in keep:
                alpha[n, t, j] = math.exp(scores[j] - top) / total
                for c in range(H_v):
                    Ms[n, t, c] += alpha[n, t, j] * values[j][c]
    return Ms, alpha


@pytest.mark.parametrize("scaled", [False, True])
@pytest.mark.parametrize("masked", [False, True])
def test_forward_matches_loops(scaled, masked):
    arrays = draw(1, **SIZES)
    mask = MASK if masked else None
    Ms, alpha = projected_attention_forward(*arrays, scaled, mask)
    expected_Ms, expected_alpha = naive(*arrays, scaled, mask)
    np.testing.assert_allclose(alpha, expected_alpha, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Ms, expected_Ms, rtol=1e-12, atol=1e-14)


CASES = [(SIZES, False, False), (SIZES, True, False), (SIZES, False, True), (SIZES, True, True),
         ({"N": 1, "T_y": 1, "T_x": 1, "H": 2, "H_e": 3, "H_a": 4, "H_v": 5}, True, False),
         ({"N": 1, "T_y": 2, "T_x": 5, "H": 4, "H_e": 2, "H_a": 6, "H_v": 3}, False, True)]


@pytest.mark.parametrize("sizes, scaled, masked", CASES)
def test_backward_matches_finite_differences(sizes, scaled, masked):
    arrays = draw(2, **sizes)
    mask = MASK[: sizes["N"], : sizes["T_x"]] if masked and sizes["T_x"] == 4 else None
    if masked and mask is None:
        mask = np.array([[True, False, True, False, True]])
    Ms, _ = projected_attention_forward(*arrays, scaled, mask)
    dMs = np.random.default_rng(3).normal(size=Ms.shape)
    before = [a.copy() for a in (dMs, *arrays)]
    grads = projected_attention_backward(dMs, *arrays, scaled, mask)
    for now, was in zip((dMs, *arrays), before):
        np.testing.assert_array_equal(now, was)
    # the order of the outputs: dW_q, dU_k, dU_v, dHs_dec, dHs_enc; of the inputs: Hs_dec, Hs_enc, W_q, U_k, U_v
    f = lambda _: projected_attention_forward(*arrays, scaled, mask)[0]  # noqa: E731
    for g, x in zip(grads, (arrays[2], arrays[3], arrays[4], arrays[0], arrays[1])):
        assert g.shape == x.shape
        assert relative_error(g, numerical_gradient(f, x, dMs)) < TOL
    if mask is not None:  # a masked position is neither matched on nor delivered
        assert np.all(grads[4][~mask] == 0)


def test_encoder_gradient_is_the_sum_of_the_key_and_value_paths():
    # Projecting the keys and the values from two copies of the encoder states, each copy's gradient
    # is one path; the shared states' gradient is their sum.
    Hs_dec, Hs_enc, W_q, U_k, U_v = draw(4, **SIZES)
    dMs = np.random.default_rng(5).normal(size=(SIZES["N"], SIZES["T_y"], SIZES["H_v"]))

    def ms(enc_for_keys, enc_for_values):
        return dot_product_attention(Hs_dec @ W_q.T, enc_for_keys @ U_k.T, enc_for_values @ U_v.T, True, MASK)[0]

    fixed = Hs_enc.copy()  # the states of the other path, held constant
    key_path = numerical_gradient(lambda _: ms(Hs_enc, fixed), Hs_enc, dMs)
    value_path = numerical_gradient(lambda _: ms(fixed, Hs_enc), Hs_enc, dMs)
    dHs_enc = projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, True, MASK)[4]
    assert relative_error(dHs_enc, key_path + value_path) < TOL
    # neither path is negligible here, so forgetting one fails
    assert relative_error(dHs_enc, key_path) > 0.1 and relative_error(dHs_enc, value_path) > 0.1


def test_bad_inputs_name_the_argument():
    Hs_dec, Hs_enc, W_q, U_k, U_v = draw(6, **SIZES)
    with pytest.raises(ValueError, match="W_q"):
        projected_attention_forward(Hs_dec, Hs_enc, W_q.T, U_k, U_v)
    with pytest.raises(ValueError, match="U_k"):
        projected_attention_forward(Hs_dec, Hs_enc, W_q, U_k.T, U_v)
    with pytest.raises(ValueError, match="U_v"):
        projected_attention_forward(Hs_dec, Hs_enc, W_q, U_k, U_v.T)
    with pytest.raises(ValueError, match="Hs_enc"):
        projected_attention_forward(Hs_dec, Hs_enc[:1], W_q, U_k, U_v)
    with pytest.raises(ValueError, match="dMs"):
        projected_attention_backward(np.zeros((2, 3, 4)), Hs_dec, Hs_enc, W_q, U_k, U_v)
