#!/usr/bin/python3
"""Records torch.linalg.lstsq's solutions (float64) for test/unit/analysis/lstsq.test.ts.

Run from the repository root:  /usr/bin/python3 test/unit/analysis/lstsq_torch.py
It writes test/unit/analysis/lstsq-torch.json. Debian's python3-torch is enough (CPU).
Full-rank cases use the CPU default driver (gelsy); rank-deficient ones gelsd (SVD), whose
answer is the minimum-norm solution, the one the TypeScript solver promises.
"""
import json
import os

import torch

torch.manual_seed(20261202)
dt = torch.float64


def design(x):
    """X = [1 | x]: the ones column first, as the model's bias."""
    return torch.cat([torch.ones(x.shape[0], 1, dtype=dt), x], dim=1)


def case(name, X, Y, driver):
    sol = torch.linalg.lstsq(X, Y, driver=driver)
    rank = int(torch.linalg.matrix_rank(X).item())
    return {
        "name": name,
        "driver": driver,
        "X": X.tolist(),
        "Y": Y.tolist(),
        "solution": sol.solution.tolist(),
        "rank": rank,
    }


cases = []
# Tall, well conditioned, three outputs solved at once.
x = torch.randn(12, 3, dtype=dt)
cases.append(case("random 12x4, 3 outputs", design(x), torch.randn(12, 3, dtype=dt), "gelsy"))
# A polynomial fit: 1, t, ..., t^5 on [0, 1] (condition number ~1e4): where normal equations lose digits.
t = torch.linspace(0, 1, 15, dtype=dt).unsqueeze(1)
V = torch.cat([t**k for k in range(1, 6)], dim=1)
cases.append(case("polynomial degree 5", design(V), torch.sin(3 * t), "gelsy"))
# Rank-deficient: x2 = 2 x1 + 1 is a combination of x1 and the ones column.
x1 = torch.tensor([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], dtype=dt)
Xd = design(torch.cat([x1, 2 * x1 + 1], dim=1))
cases.append(case("rank-deficient x2 = 2 x1 + 1", Xd, torch.tensor([[1.0], [2.5], [2.0], [4.0], [5.5], [5.0]], dtype=dt), "gelsd"))
# Fewer examples than parameters.
cases.append(case("underdetermined 2x3", design(torch.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=dt)), torch.tensor([[1.0], [2.0]], dtype=dt), "gelsd"))

# examples/linear-regression.bp.yaml's data (keep in step with the file), with its mse at the optimum.
ex_x = torch.tensor([[0.0, 1.0], [0.5, 0.0], [1.0, 2.0], [1.5, 1.0], [2.0, 3.0], [2.5, 2.0], [3.0, 4.0], [3.5, 3.0]], dtype=dt)
ex_y = torch.tensor([[0.6], [1.8], [2.05], [3.65], [3.4], [5.2], [4.95], [6.35]], dtype=dt)
ex = case("examples/linear-regression.bp.yaml", design(ex_x), ex_y, "gelsy")
beta = torch.tensor(ex["solution"], dtype=dt)
ex["mse"] = float(torch.mean((design(ex_x) @ beta - ex_y) ** 2))
cases.append(ex)

out = {"torch": torch.__version__, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lstsq-torch.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {path}: {len(cases)} cases, torch {torch.__version__}")
