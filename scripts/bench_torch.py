"""One training step in PyTorch (CPU, float64, one thread), for scripts/bench.ts.

Reads the workloads as JSON from the file named by argv[1] (the same weights, inputs and
targets the engine uses), times forward + loss + backward + SGD update, and prints one JSON
object: {"torch": version, "blas": ..., "results": {name: {"medianMs", "runs", "loss"}}}.
"""
import json
import statistics
import sys
import time

import torch


def build(w):
    layers = [(torch.tensor(l["W"], dtype=torch.float64).reshape(l["rows"], l["cols"]),
               torch.tensor(l["b"], dtype=torch.float64)) for l in w["layers"]]
    x = torch.tensor(w["input"], dtype=torch.float64).reshape(w["batch"], -1)
    t = torch.tensor(w["target"], dtype=torch.float64).reshape(w["batch"], -1)
    return layers, x, t


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


def make_step(w, params, x, t):
    acts, loss_name, lr = w["activations"], w["loss"], w["lr"]

    def step():
        a = x
        for (W, b), name in zip(params[:-1], acts[:-1]):
            a = act(name, a @ W.T + b)
        W, b = params[-1]
        z = a @ W.T + b
        if loss_name == "cross_entropy" and acts[-1] == "softmax":
            # −(1/N) Σ t log softmax(z), the engine's fused pair.
            loss = -(t * torch.log_softmax(z, dim=1)).sum() / x.shape[0]
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


def main():
    torch.set_num_threads(1)
    spec = json.load(open(sys.argv[1]))
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "results": {}}
    for w in spec["workloads"]:
        layers, x, t = build(w)
        # The first step's loss, from the initial weights, to check all implementations agree.
        params = [(W.clone().requires_grad_(True), b.clone().requires_grad_(True)) for W, b in layers]
        first_loss = make_step(w, params, x, t)()
        params = [(W.clone().requires_grad_(True), b.clone().requires_grad_(True)) for W, b in layers]
        step = make_step(w, params, x, t)
        for _ in range(w["warmup"]):
            step()
        times, budget_end = [], time.perf_counter() + w["budgetMs"] / 1000
        inner = w["inner"]
        while len(times) < w["minRuns"] or (len(times) < w["maxRuns"] and time.perf_counter() < budget_end):
            t0 = time.perf_counter()
            for _ in range(inner):
                step()
            times.append((time.perf_counter() - t0) * 1000 / inner)
        out["results"][w["name"]] = {"medianMs": statistics.median(times), "runs": len(times) * inner, "loss": first_loss}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
