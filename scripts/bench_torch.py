"""One training step in PyTorch (CPU, float64, one thread), for scripts/bench.ts.

Reads the workloads as JSON from the file named by argv[1] (the same weights, inputs and
targets the engine uses), prints one JSON line describing itself and each workload's first-step
loss, then serves timing requests, one JSON line each way, so that the bench can interleave
PyTorch with the other implementations:
  in:  {"name": "W", "samples": 5, "inner": 1, "warmup": 2}
  out: {"times": [ms per step, one per sample]}
"""
import json
import sys
import time

import torch


def act(name, z):
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "relu":
        return torch.relu(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "identity":
        return z
    raise ValueError(name)


def make_step(w):
    """forward, loss, backward, p ← p − lr·g, from a fresh copy of the workload's weights."""
    params = [(torch.tensor(l["W"], dtype=torch.float64).reshape(l["rows"], l["cols"]).requires_grad_(True),
               torch.tensor(l["b"], dtype=torch.float64).requires_grad_(True)) for l in w["layers"]]
    x = torch.tensor(w["input"], dtype=torch.float64).reshape(w["batch"], -1)
    t = torch.tensor(w["target"], dtype=torch.float64).reshape(w["batch"], -1)
    acts, loss_name, lr = w["activations"], w["loss"], w["lr"]

    def step():
        a = x
        for (W, b), name in zip(params[:-1], acts[:-1]):
            a = act(name, a @ W.T + b)
        W, b = params[-1]
        z = a @ W.T + b
        if loss_name == "cross_entropy" and acts[-1] == "softmax":
            loss = -(t * torch.log_softmax(z, dim=1)).sum() / x.shape[0]  # the engine's fused pair
        elif loss_name == "half_sse":
            loss = 0.5 * ((act(acts[-1], z) - t) ** 2).sum()
        else:
            raise ValueError(loss_name)
        loss.backward()
        with torch.no_grad():
            for W, b in params:
                W -= lr * W.grad
                b -= lr * b.grad
                W.grad = None
                b.grad = None
        return loss.item()

    return step


def blas_library():
    """The BLAS shared library actually mapped into this process (MKL, OpenBLAS, reference…)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() or "mkl" in line.lower()}
        return ", ".join(sorted(p for p in libs if p.startswith("/"))) or "none mapped"
    except OSError:
        return "unknown"


def main():
    torch.set_num_threads(1)
    spec = json.load(open(sys.argv[1]))
    steps, losses = {}, {}
    for w in spec["workloads"]:
        losses[w["name"]] = make_step(w)()  # from the initial weights, as the engine's first step
        steps[w["name"]] = make_step(w)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(), "losses": losses}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        step = steps[req["name"]]
        for _ in range(req["warmup"]):
            step()
        times = []
        for _ in range(req["samples"]):
            t0 = time.perf_counter()
            for _ in range(req["inner"]):
                step()
            times.append((time.perf_counter() - t0) * 1000 / req["inner"])
        print(json.dumps({"times": times}), flush=True)


if __name__ == "__main__":
    main()
