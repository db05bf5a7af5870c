"""Independent reference for the ex2 optimizer trajectory tests (plain Python, no dependencies).

Writes optimizer-trajectories.json next to this file. Run from the repository root:
    python3 tests/ex2/reference/optimizer_trajectories.py

Problem: two parameters, a weight w (role 'weight', 4 values) and a bias b (role 'bias', 2 values),
and the loss L = ½ Σ a_i (p_i − c_i)², whose gradient is a_i (p_i − c_i), evaluated at the current
values before every step. Each optimizer takes 5 steps; the file holds the values after each step.
The update rules are transcribed from the seeds (file: line) independently of the TypeScript code.
"""
import json
import math
from pathlib import Path

START = {"weight": [0.5, -1.5, 2.0, 0.0], "bias": [1.0, -0.25]}
CURVATURE = {"weight": [1.0, 4.0, 0.5, 2.0], "bias": [3.0, 0.2]}
TARGET = {"weight": [1.0, 0.5, -1.0, 0.25], "bias": [0.0, 2.0]}
STEPS = 5


def grad(name, values):
    return [a * (p - c) for a, p, c in zip(CURVATURE[name], values, TARGET[name])]


def run(update, **hyper):
    values = {k: list(v) for k, v in START.items()}
    state = {k: {} for k in START}
    trajectory = []
    for _ in range(STEPS):
        for name in values:
            values[name] = update(values[name], grad(name, values[name]), state[name], name, **hyper)
        trajectory.append({k: list(v) for k, v in values.items()})
    return trajectory


def sgd_momentum(w, g, s, name, lr, momentum):  # 004: 2435
    v = s.get("v", [0.0] * len(w))
    v = [momentum * vi - lr * gi for vi, gi in zip(v, g)]
    s["v"] = v
    return [wi + vi for wi, vi in zip(w, v)]


def nesterov(w, g, s, name, lr, momentum):  # 004: 2452-2454
    v_old = s.get("v", [0.0] * len(w))
    v = [momentum * vi - lr * gi for vi, gi in zip(v_old, g)]
    s["v"] = v
    return [wi - momentum * vo + (1 + momentum) * vi for wi, vo, vi in zip(w, v_old, v)]


def adagrad(w, g, s, name, lr, eps):  # 004: 2475-2479
    r = s.get("r", [0.0] * len(w))
    r = [ri + gi * gi for ri, gi in zip(r, g)]
    s["r"] = r
    return [wi - lr / (math.sqrt(ri) + eps) * gi for wi, ri, gi in zip(w, r, g)]


def rmsprop(w, g, s, name, lr, rho, eps):  # 004: 2491-2495
    r = s.get("r", [0.0] * len(w))
    r = [rho * ri + (1 - rho) * gi * gi for ri, gi in zip(r, g)]
    s["r"] = r
    return [wi - lr / (math.sqrt(ri) + eps) * gi for wi, ri, gi in zip(w, r, g)]


def adam(w, g, s, name, lr, beta1, beta2, eps, weight_decay=0.0):  # 000: 2534-2552; AdamW 000: 1574-1582
    k = s.get("k", 0) + 1
    m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(s.get("m", [0.0] * len(w)), g)]
    v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(s.get("v", [0.0] * len(w)), g)]
    s.update(k=k, m=m, v=v)
    decay = weight_decay if name == "weight" else 0.0
    return [
        wi - lr * decay * wi - lr * (mi / (1 - beta1**k)) / (math.sqrt(vi / (1 - beta2**k)) + eps)
        for wi, mi, vi in zip(w, m, v)
    ]


CASES = {
    "SgdMomentum": (sgd_momentum, {"lr": 0.1, "momentum": 0.9}),
    "Nesterov": (nesterov, {"lr": 0.1, "momentum": 0.9}),
    "AdaGrad": (adagrad, {"lr": 0.5, "eps": 1e-7}),
    "RMSProp": (rmsprop, {"lr": 0.01, "rho": 0.9, "eps": 1e-6}),
    "Adam": (adam, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
    "AdamW": (adam, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.5}),
}

if __name__ == "__main__":
    out = {
        "problem": {"start": START, "curvature": CURVATURE, "target": TARGET, "steps": STEPS},
        "cases": {name: {"hyper": hyper, "trajectory": run(update, **hyper)} for name, (update, hyper) in CASES.items()},
    }
    path = Path(__file__).with_name("optimizer-trajectories.json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")
