"""Reference values from PyTorch for the layer kinds and the margin losses (issue 9).

Writes, for each case below, a model file test/reference/models/<name>.bp.json and what PyTorch
computes for it, step by step, in the shape of `backprop trace --format json`:
test/reference/expected/<name>.json. test/unit/engine/torch-reference.test.ts runs the engine on
every model file and compares every field to 1e-9 relative.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 test/reference/torch_conv.py

Everything is float64 on the CPU with one thread. Weights and inputs are short decimals drawn
from a seeded generator, so the files read well and parse to the same doubles in both programs.
Values the engine defines on its own (the subgradient 0 of max_margin exactly at its hinge,
where MarginRankingLoss takes 1) are kept out of these cases and tested by hand instead.
"""
import json
import os
import random

import torch
import yaml
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def draw(rng, shape, lo=-1.0, hi=1.0, digits=2, integers=None):
    """A nested list of the given shape: short decimals in [lo, hi], or integers from a list."""
    if not shape:
        return rng.choice(integers) if integers else round(rng.uniform(lo, hi), digits)
    return [draw(rng, shape[1:], lo, hi, digits, integers) for _ in range(shape[0])]


def one_hot(rng, n, k):
    rows = []
    for _ in range(n):
        y = rng.randrange(k)
        rows.append([1 if j == y else 0 for j in range(k)])
    return rows


def conv(rng, out, cin, kh, kw, **kw_):
    return {"type": "conv2d", "W": draw(rng, [out, cin, kh, kw]), "b": draw(rng, [out]), **kw_}


def dense(rng, out, nin, activation):
    return {"W": draw(rng, [out, nin]), "b": draw(rng, [out]), "activation": activation}


def cases():
    r = random.Random(20250909)
    out = []
    # The example: one 1×3×3 image, two 2×2 filters, max pool, flatten, softmax.
    out.append({
        "name": "issue-example",
        "input": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]],
        "target": [0, 1],
        "layers": [
            {"type": "conv2d", "W": [[[[1, 0], [0, -1]]], [[[0.5, 0.5], [0.5, 0.5]]]], "b": [0, 0.1],
             "stride": 1, "padding": 0, "activation": "relu"},
            {"type": "maxpool2d", "kernel": 2, "stride": 2},
            {"type": "flatten"},
            {"W": [[0.1, -0.2], [0.3, 0.4]], "b": [0, 0], "activation": "softmax"},
        ],
        "loss": "cross_entropy",
        "optimizer": {"type": "sgd", "lr": 0.1},
    })
    # A batch of two-channel images, stride 2 with padding 1, average pooling that overlaps.
    out.append({
        "name": "stride-padding-avgpool",
        "input": draw(r, [3, 2, 5, 5]),
        "target": draw(r, [3, 3], 0, 1),
        "layers": [
            conv(r, 3, 2, 3, 3, stride=2, padding=1, activation="tanh"),
            {"type": "avgpool2d", "kernel": 2, "stride": 1},
            {"type": "flatten"},
            dense(r, 3, 12, "sigmoid"),
        ],
        "loss": "mse",
        "optimizer": {"type": "sgd", "lr": 0.5},
    })
    # Rectangular kernels, strides and paddings given per axis; multi-class hinge, class indices.
    out.append({
        "name": "rectangular-hinge",
        "input": draw(r, [2, 1, 4, 6]),
        "target": [[2], [0]],
        "layers": [
            conv(r, 2, 1, 2, 3, stride=[1, 2], padding=[2, 0], activation="leaky_relu"),
            {"type": "maxpool2d", "kernel": [2, 1], "stride": [1, 1]},
            {"type": "flatten"},
            dense(r, 3, 24, "identity"),
        ],
        "loss": "hinge",
        "optimizer": {"type": "momentum", "lr": 0.05, "momentum": 0.9},
        "steps": 2,
    })
    # Ties: small integers make equal maxima in many windows (stride 2 and overlapping stride 1).
    out.append({
        "name": "maxpool-ties",
        "input": draw(r, [2, 2, 4, 4], integers=[0, 1, 2]),
        "target": one_hot(r, 2, 2),
        "layers": [
            {"type": "maxpool2d", "kernel": 2, "stride": 1},
            {"type": "conv2d", "W": draw(r, [2, 2, 1, 1], integers=[-1, 1, 2]), "b": [0, 0], "activation": "relu"},
            {"type": "maxpool2d", "kernel": 2, "stride": 2},
            {"type": "flatten"},
            {"W": draw(r, [2, 2], integers=[1, -1, 2]), "b": [0.5, -0.5], "activation": "softmax"},
        ],
        "loss": "cross_entropy",
        "optimizer": {"type": "sgd", "lr": 0.1},
    })
    # The notes' max-margin objective: pairs (true window, corrupted window), one score.
    out.append({
        "name": "max-margin",
        "input": draw(r, [4, 1, 3, 3]),
        "layers": [
            conv(r, 2, 1, 2, 2, activation="tanh"),
            {"type": "flatten"},
            dense(r, 1, 8, "identity"),
        ],
        "loss": "max_margin",
        "optimizer": {"type": "sgd", "lr": 0.1},
        "steps": 2,
    })
    # Two convolutions in a row, L2, Adam over three steps; the output is an image (mse on maps).
    out.append({
        "name": "conv-conv-adam",
        "input": draw(r, [2, 1, 6, 5]),
        "target": draw(r, [2, 2, 1, 4]),
        "layers": [
            conv(r, 3, 1, 3, 2, padding=[0, 1], activation="sigmoid"),
            conv(r, 2, 3, 3, 3, stride=[2, 1], activation="identity"),
        ],
        "loss": "sse",
        "optimizer": {"type": "adam", "lr": 0.01},
        "regularization": {"l2": 0.01},
        "steps": 3,
    })
    # hinge with one-hot targets and a margin of its own, a softplus conv, a margin that is a
    # half-integer so exact hinges cannot happen by accident.
    out.append({
        "name": "hinge-margin",
        "input": draw(r, [3, 2, 3, 3]),
        "target": one_hot(r, 3, 4),
        "layers": [
            conv(r, 2, 2, 2, 2, padding=1, activation="softplus"),
            {"type": "avgpool2d", "kernel": [2, 2]},
            {"type": "flatten"},
            dense(r, 4, 8, "tanh"),
        ],
        "loss": {"type": "hinge", "margin": 0.5},
        "optimizer": {"type": "sgd", "lr": 0.2},
    })
    # The Tiny CNN example as the user reads it (examples/tiny-cnn.bp.yaml), less its hand-derived
    # expect values: PyTorch confirms the numbers worked by hand in examples/README.md.
    with open(os.path.join(HERE, "..", "..", "examples", "tiny-cnn.bp.yaml")) as f:
        ex = yaml.safe_load(f)
    ex["layers"] = [{k: v for k, v in layer.items() if k != "expect"} for layer in ex["layers"]]
    out.append({**{k: v for k, v in ex.items() if k not in ("expect", "name")}, "name": "tiny-cnn-example"})
    return out


ACT = {
    "identity": lambda z: z,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "square": lambda z: z * z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def pair(v):
    return tuple(v) if isinstance(v, list) else (v, v)


def tensor(x):
    return torch.tensor(x, dtype=torch.float64)


def batch(x, layers):
    """Images: C×H×W is one example; N×C×H×W a batch. Vectors: a list is one example."""
    t = tensor(x)
    if layers[0].get("type") in ("conv2d", "maxpool2d", "avgpool2d"):
        return t.unsqueeze(0) if t.dim() == 3 else t
    return t.unsqueeze(0) if t.dim() == 1 else t


def targets(case, n, k):
    loss = case["loss"]["type"] if isinstance(case["loss"], dict) else case["loss"]
    if loss == "max_margin":
        return torch.zeros(n, k)
    t = tensor(case["target"])
    if t.dim() == 1:
        t = t.unsqueeze(0)
    if loss == "hinge" and t.shape[1] == 1 and k > 1:  # class indices
        return F.one_hot(t[:, 0].long(), k).to(torch.float64)
    return t.reshape(n, -1)


def run(case):
    loss_spec = case["loss"]
    loss_name = loss_spec["type"] if isinstance(loss_spec, dict) else loss_spec
    margin = loss_spec.get("margin", 1.0) if isinstance(loss_spec, dict) else 1.0
    layers = case["layers"]
    x = batch(case["input"], layers).requires_grad_(True)
    params = []
    for spec in layers:
        if "W" in spec:
            params.append((tensor(spec["W"]).requires_grad_(True), tensor(spec["b"]).requires_grad_(True)))
        else:
            params.append(None)
    flat = [t for p in params if p for t in p]
    o = case["optimizer"]
    if o["type"] == "sgd":
        opt = torch.optim.SGD(flat, lr=o["lr"])
    elif o["type"] == "momentum":
        opt = torch.optim.SGD(flat, lr=o["lr"], momentum=o.get("momentum", 0.9))
    else:
        opt = torch.optim.Adam(flat, lr=o["lr"], betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)), eps=o.get("eps", 1e-8))
    l2 = case.get("regularization", {}).get("l2", 0.0)
    steps = []
    for step in range(1, case.get("steps", 1) + 1):
        opt.zero_grad()
        if x.grad is not None:
            x.grad = None
        a = x
        record = []
        for spec, p in zip(layers, params):
            kind = spec.get("type", "dense")
            if kind == "conv2d":
                z = F.conv2d(a, p[0], p[1], stride=pair(spec.get("stride", 1)), padding=pair(spec.get("padding", 0)))
            elif kind == "maxpool2d":
                k = pair(spec["kernel"])
                z = F.max_pool2d(a, k, stride=pair(spec.get("stride", spec["kernel"])))
            elif kind == "avgpool2d":
                k = pair(spec["kernel"])
                z = F.avg_pool2d(a, k, stride=pair(spec.get("stride", spec["kernel"])))
            elif kind == "flatten":
                z = a.flatten(1)
            else:
                z = a @ p[0].T + p[1]
            act = spec.get("activation", "identity")
            out = ACT[act](z)
            z.retain_grad()
            out.retain_grad()
            # σ'(z) element-wise, by autograd on a copy (softmax has a Jacobian instead).
            sp = None
            if act != "softmax":
                zz = z.detach().clone().requires_grad_(True)
                (g,) = torch.autograd.grad(ACT[act](zz).sum(), zz)
                sp = g
            record.append({"z": z, "a": out, "sp": sp, "p": p, "act": act})
            a = out
        n = a.shape[0]
        scores = a.reshape(n, -1)
        t = targets(case, n, scores.shape[1])
        if loss_name == "cross_entropy":
            data = -(t * torch.log(scores)).sum() / n
        elif loss_name == "mse":
            data = ((scores - t) ** 2).mean()
        elif loss_name == "sse":
            data = ((scores - t) ** 2).sum()
        elif loss_name == "hinge":
            y = t.argmax(dim=1)
            data = F.multi_margin_loss(scores, y, margin=margin)
            active = margin - scores.gather(1, y[:, None]) + scores
            assert not bool(((active == 0) & (F.one_hot(y, scores.shape[1]) == 0)).any()), "a hinge case sits on its kink"
        elif loss_name == "max_margin":
            s, sc = scores[0::2], scores[1::2]
            data = F.margin_ranking_loss(s, sc, torch.ones_like(s), margin=margin)
            assert not bool((margin - s + sc == 0).any()), "a max_margin case sits on its kink"
        else:
            raise ValueError(loss_name)
        reg = l2 * sum((p[0] ** 2).sum() for p in params if p) if l2 else torch.zeros(())
        total = data + reg
        total.backward()
        layers_out = []
        for spec, rec in zip(layers, record):
            entry = {
                "z": rec["z"].detach().tolist(),
                "a": rec["a"].detach().tolist(),
                "delta": rec["z"].grad.tolist(),
            }
            if rec["sp"] is not None and not (loss_name == "cross_entropy" and rec["act"] == "softmax"):
                entry["sigma_prime"] = rec["sp"].tolist()
            if rec["p"]:
                W, b = rec["p"]
                entry.update({"W": W.detach().tolist(), "b": b.detach().tolist(), "dW": W.grad.tolist(), "db": b.grad.tolist()})
            layers_out.append(entry)
        steps.append({
            "step": step,
            "loss": total.item(),
            "loss_data": data.item(),
            "loss_l2": float(reg),
            "dL_da": record[-1]["a"].grad.tolist(),
            "input_grad": x.grad.tolist(),
            "layers": layers_out,
        })
        opt.step()
        for entry, rec in zip(layers_out, record):
            if rec["p"]:
                entry["W_next"] = rec["p"][0].detach().tolist()
                entry["b_next"] = rec["p"][1].detach().tolist()
    return steps


def compact(value, indent=0):
    """JSON with each list of numbers on one line, so an image reads as rows of pixels."""
    pad = "  " * indent
    if isinstance(value, dict):
        items = [f'{pad}  {json.dumps(k)}: {compact(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        return "[\n" + ",\n".join(f"{pad}  {compact(v, indent + 1)}" for v in value) + f"\n{pad}]"
    return json.dumps(value)


def main():
    for folder in ("models", "expected"):
        os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    for case in cases():
        name = case.pop("name")
        steps = run(case)
        model = {"name": name, **case}
        with open(os.path.join(HERE, "models", f"{name}.bp.json"), "w") as f:
            f.write(compact(model) + "\n")
        with open(os.path.join(HERE, "expected", f"{name}.json"), "w") as f:
            json.dump({"torch": torch.__version__, "steps": steps}, f)
            f.write("\n")
        print(f"{name}: {len(steps)} step(s), loss {steps[0]['loss']:.12g}")


if __name__ == "__main__":
    main()
