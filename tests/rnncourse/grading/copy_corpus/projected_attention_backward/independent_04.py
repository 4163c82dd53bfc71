import numpy as np


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    N, T_y, H = Hs_dec.shape
    _, T_x, H_e = Hs_enc.shape
    H_a = W_q.shape[0]
    queries = (Hs_dec.reshape(N * T_y, H) @ W_q.T).reshape(N, T_y, H_a)
    keys = (Hs_enc.reshape(N * T_x, H_e) @ U_k.T).reshape(N, T_x, H_a)
    values = (Hs_enc.reshape(N * T_x, H_e) @ U_v.T).reshape(N, T_x, -1)
    scale = 1 / np.sqrt(H_a) if scaled else 1
    logits = scale * (queries @ keys.swapaxes(-1, -2))
    if mask is not None:
        logits[np.broadcast_to(~mask[:, None, :], logits.shape)] = -np.inf
    logits -= logits.max(-1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(-1, keepdims=True)
    # softmax Jacobian diag(p) - p p^T applied to the gradient on the weights, row by row
    g_probs = dMs @ values.swapaxes(-1, -2)
    jac = np.einsum("ntj,jk->ntjk", probs, np.eye(T_x)) - probs[..., :, None] * probs[..., None, :]
    g_logits = np.einsum("ntjk,ntk->ntj", jac, g_probs)
    g_queries = scale * g_logits @ keys
    g_keys = scale * g_logits.swapaxes(-1, -2) @ queries
    g_values = probs.swapaxes(-1, -2) @ dMs
    dW_q = g_queries.reshape(-1, H_a).T @ Hs_dec.reshape(-1, H)
    dU_k = g_keys.reshape(-1, H_a).T @ Hs_enc.reshape(-1, H_e)
    dU_v = g_values.reshape(N * T_x, -1).T @ Hs_enc.reshape(-1, H_e)
    return dW_q, dU_k, dU_v, g_queries @ W_q, g_keys @ U_k + g_values @ U_v
