"""One training step in PyTorch (CPU, float64, one thread), for scripts/bench.ts: dense layers,
2-D convolutions (F.conv2d, which for float64 on the CPU unfolds and multiplies through the BLAS),
max pooling and flatten.

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
import torch.nn.functional as F


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
    layers = w["layers"]
    params = [(torch.tensor(l["W"], dtype=torch.float64).reshape(l["shape"]).requires_grad_(True),
               torch.tensor(l["b"], dtype=torch.float64).requires_grad_(True)) if l["W"] else None for l in layers]
    x = torch.tensor(w["input"], dtype=torch.float64).reshape(w["input_shape"])
    t = torch.tensor(w["target"], dtype=torch.float64).reshape(w["batch"], -1)
    loss_name, lr = w["loss"], w["lr"]
    flat = [p for pair in params if pair for p in pair]

    def step():
        a = x
        for i, (l, p) in enumerate(zip(layers, params)):
            kind = l["kind"]
            if kind == "conv2d":
                a = act(l["activation"], F.conv2d(a, p[0], p[1]))
            elif kind == "maxpool2d":
                a = F.max_pool2d(a, l["kernel"])
            elif kind == "flatten":
                a = a.flatten(1)
            elif i < len(layers) - 1:
                a = act(l["activation"], a @ p[0].T + p[1])
            else:
                z = a @ p[0].T + p[1]
        if loss_name == "cross_entropy" and layers[-1]["activation"] == "softmax":
            loss = -(t * torch.log_softmax(z, dim=1)).sum() / x.shape[0]  # the engine's fused pair
        elif loss_name == "half_sse":
            loss = 0.5 * ((act(layers[-1]["activation"], z) - t) ** 2).sum()
        else:
            raise ValueError(loss_name)
        loss.backward()
        with torch.no_grad():
            for p in flat:
                p -= lr * p.grad
                p.grad = None
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
