"""Independent reference values for the Exercise 4 known-value tests (tests/ex4/*.test.ts).

Written from the equations in docs/exercises/4-recurrent.md, not from the TypeScript: NumPy, column
vectors as in the seed (004: 6021-6027, 6243-6282, 6355-6382), one sequence at a time, and gradients by
automatic-free central differences in float64 (so the backward values do not share the derivation
they check). Run:  python3 tests/ex4/reference/recurrent_reference.py > tests/ex4/reference/recurrent_reference.out
(the .out file beside it is that output, the numbers the tests quote).
"""
import numpy as np

np.set_printoptions(precision=12, floatmode="maxprec")


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


# Shared inputs: batch 2, time 3, input 2; hidden 2, output 2. Row-major [batch, time, features].
X = np.array([[[1.0, -0.5], [0.25, 0.75], [-1.0, 0.5]],
              [[0.0, 1.0], [0.5, -0.25], [0.3, 0.2]]])
WY = np.array([[0.7, -0.4], [0.2, 0.9]])         # Why [H, out]
BY = np.array([0.05, -0.1])                       # by  [out]
G = np.array([[[1.0, 0.0], [0.5, -1.0], [0.0, 2.0]],
              [[-0.5, 0.25], [1.0, 1.0], [0.3, -0.7]]])  # upstream gradient for the backward values


def initial(params, name, b):
    """Row b of the initial state params[name] ([batch, H]); zeros when it is not given, as in the kit."""
    return params[name][b].copy() if name in params else np.zeros(2)


def rnn(params, x):
    wxh, whh, bh = params["Wxh"], params["Whh"], params["bh"]
    out = np.zeros((x.shape[0], x.shape[1], 2))
    for b in range(x.shape[0]):
        h = initial(params, "h0", b)
        for t in range(x.shape[1]):
            # seed form: h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h) with W = (kit matrix)^T
            h = np.tanh(whh.T @ h + wxh.T @ x[b, t] + bh)
            out[b, t] = WY.T @ h + BY
    return out


def lstm(params, x):
    wx, wh, bias = params["Wx"], params["Wh"], params["b"]
    H = 2
    out = np.zeros((x.shape[0], x.shape[1], 2))
    for b in range(x.shape[0]):
        h = initial(params, "h0", b)
        c = initial(params, "c0", b)
        for t in range(x.shape[1]):
            # seed form: one matrix per gate on the concatenation [h_{t-1}, x_t]
            W = np.vstack([wh, wx]).T  # [4H, H + in]
            a = W @ np.concatenate([h, x[b, t]]) + bias
            i, f, g, o = sigmoid(a[0:H]), sigmoid(a[H:2 * H]), np.tanh(a[2 * H:3 * H]), sigmoid(a[3 * H:4 * H])
            c = f * c + i * g
            h = o * np.tanh(c)
            out[b, t] = WY.T @ h + BY
    return out


def gru(params, x):
    wx, wh, bias = params["Wx"], params["Wh"], params["b"]
    H = 2
    out = np.zeros((x.shape[0], x.shape[1], 2))
    for b in range(x.shape[0]):
        h = initial(params, "h0", b)
        for t in range(x.shape[1]):
            xt = x[b, t]
            r = sigmoid(wh[:, 0:H].T @ h + wx[:, 0:H].T @ xt + bias[0:H])
            z = sigmoid(wh[:, H:2 * H].T @ h + wx[:, H:2 * H].T @ xt + bias[H:2 * H])
            n = np.tanh(wh[:, 2 * H:].T @ (r * h) + wx[:, 2 * H:].T @ xt + bias[2 * H:])
            h = (1 - z) * h + z * n
            out[b, t] = WY.T @ h + BY
    return out


def numeric_gradient(model, params, name, step=1e-6, x=X):
    """d(sum(model(params, x) * G)) / d params[name] by central differences (name 'x': the input)."""
    values = x if name == "x" else params[name]
    grad = np.zeros_like(values)
    for index in np.ndindex(grad.shape):
        saved = values[index]
        values[index] = saved + step
        plus = np.sum(model(params, x) * G)
        values[index] = saved - step
        minus = np.sum(model(params, x) * G)
        values[index] = saved
        grad[index] = (plus - minus) / (2 * step)
    return grad


RNN_PARAMS = {
    "Wxh": np.array([[0.5, -0.3], [0.8, 0.1]]),
    "Whh": np.array([[0.9, -0.2], [0.4, 0.6]]),
    "bh": np.array([0.1, -0.05]),
}
LSTM_PARAMS = {
    "Wx": np.array([[0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.2, -0.1],
                    [0.3, 0.1, -0.4, 0.2, 0.5, -0.3, 0.1, 0.7]]),
    "Wh": np.array([[0.2, 0.1, -0.1, 0.3, 0.4, -0.2, 0.5, 0.1],
                    [-0.3, 0.2, 0.6, -0.1, 0.1, 0.3, -0.4, 0.2]]),
    "b": np.array([0.1, 0.0, 1.0, 0.5, -0.1, 0.2, 0.0, -0.2]),
}
GRU_PARAMS = {
    "Wx": np.array([[0.1, -0.2, 0.3, 0.4, -0.5, 0.6],
                    [0.3, 0.1, -0.4, 0.2, 0.5, -0.3]]),
    "Wh": np.array([[0.2, 0.1, -0.1, 0.3, 0.4, -0.2],
                    [-0.3, 0.2, 0.6, -0.1, 0.1, 0.3]]),
    "b": np.array([0.1, 0.0, 1.0, 0.5, -0.1, 0.2]),
}

for label, model, params, recurrent in [("RNN", rnn, RNN_PARAMS, "Whh"), ("LSTM", lstm, LSTM_PARAMS, "Wh"), ("GRU", gru, GRU_PARAMS, "Wh")]:
    print(f"{label} output [batch, time, out]:", repr(model(params, X).round(12).tolist()))
    print(f"{label} gradient of {recurrent} for upstream G:", repr(numeric_gradient(model, params, recurrent).round(9).tolist()))

# Every gradient of the same pass (the public known-value checks "backward: …"): the input, each
# parameter (Why and by included) and the initial state(s), which start at zero as above.
for label, model, params, states in [("RNN", rnn, RNN_PARAMS, ["h0"]), ("LSTM", lstm, LSTM_PARAMS, ["h0", "c0"]), ("GRU", gru, GRU_PARAMS, ["h0"])]:
    full = {key: value.copy() for key, value in params.items()}
    full.update({"Why": WY.copy(), "by": BY.copy()})
    for state in states:
        full[state] = np.zeros((2, 2))

    def with_output(p, x, model=model):
        # The models read Why and by from the globals: make them follow p for their gradients.
        global WY, BY
        saved = WY, BY
        WY, BY = p["Why"], p["by"]
        try:
            return model(p, x)
        finally:
            WY, BY = saved

    x = X.copy()
    print(f"{label} gradient of x for upstream G:", repr(numeric_gradient(with_output, full, "x", x=x).round(9).tolist()))
    for name in list(params) + ["Why", "by"] + states:
        print(f"{label} gradient of {name} for upstream G:", repr(numeric_gradient(with_output, full, name).round(9).tolist()))
