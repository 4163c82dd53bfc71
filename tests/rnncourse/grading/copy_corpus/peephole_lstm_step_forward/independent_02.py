import numpy as np


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    """LSTM step with peepholes; the output gate looks at the new cell."""
    H = W.shape[1]

    def pre(k):
        return x @ U[k * H:(k + 1) * H].T + h_prev @ W[k * H:(k + 1) * H].T + b[k * H:(k + 1) * H]

    def sig(v):
        return 1.0 / (1.0 + np.exp(-v))

    input_gate = sig(pre(0) + C_prev * pi_i)
    forget_gate = sig(pre(1) + C_prev * pi_f)
    candidate = np.tanh(pre(3))
    cell = forget_gate * C_prev + input_gate * candidate
    output_gate = sig(pre(2) + cell * pi_omega)
    return output_gate * np.tanh(cell), cell
