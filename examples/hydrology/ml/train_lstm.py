"""The hydrology example's LSTM in PyTorch, run by Weir as the asset ml/torch_lstm_model.

It trains what src/lstm (TypeScript: a WASM SIMD kernel) trains, the same way, so the two can be
compared number for number: the same training windows (the camels/training_windows artefact,
read here), one LSTM layer with a linear head on its last state, the same initial weights,
shuffles and dropout masks (drawn from a port of the TypeScript side's seeded generator,
mulberry32, in the same order), NSE* loss, Adam, the gradient's global norm clipped, early
stopping on the validation median NSE, and the best epoch's weights kept. What differs is the
arithmetic (PyTorch's kernels, float32 moments in Adam), so the weights drift apart slowly.

Reports as metadata the per-epoch curves and seconds, the validation and test median NSE and
the test NSE per basin; writes the weights (model.pt, a state_dict) and training.json at
ctx.output_path. Standard library, numpy and torch only; the windows artefact is read by
windows_codec.py, beside it (numpy only).
"""

import json
import math
import os
import time

import numpy as np
import torch

import weir_pipes
from windows_codec import read_windows  # beside this script (Python puts its folder first)

FORGET_BIAS = 3.0
NSE_EPSILON = 0.1


# --- the TypeScript side's random draws (src/data/faults.ts seededRandom: mulberry32) -------


class SeededRandom:
    """mulberry32, as seededRandom(seed) in TypeScript. Its state is a counter, so n draws are
    computed at once."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def draws(self, n):
        k = np.arange(1, n + 1, dtype=np.uint64)
        a = ((self.state + k * 0x6D2B79F5) & 0xFFFFFFFF).astype(np.uint32)
        self.state = int((self.state + n * 0x6D2B79F5) & 0xFFFFFFFF)
        with np.errstate(over="ignore"):
            t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
            t ^= t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))
            t ^= t >> np.uint32(14)
        return t.astype(np.float64) / 4294967296.0

    def shuffle(self, items):
        """Fisher-Yates in place, as shuffle() in src/lstm/random.ts."""
        n = len(items)
        u = self.draws(n - 1) if n > 1 else []
        for step, i in enumerate(range(n - 1, 0, -1)):
            j = int(math.floor(u[step] * (i + 1)))
            items[i], items[j] = items[j], items[i]


# --- the model ------------------------------------------------------------------------------


class Lstm(torch.nn.Module):
    """One LSTM layer, dropout on its last hidden state, a linear head: src/lstm's model."""

    def __init__(self, features, hidden):
        super().__init__()
        self.lstm = torch.nn.LSTM(features, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, 1)

    def forward(self, x, mask=None):
        out, _ = self.lstm(x)
        last = out[:, -1, :]
        if mask is not None:
            last = last * mask
        return self.head(last).squeeze(1)


def initialise(model, features, hidden, random):
    """src/lstm/init.ts: every value uniform in +-1/sqrt(H) in the tfjs layout's order (kernel
    [F,4H], recurrent kernel [H,4H], bias [4H], head [H], head bias), forget-gate bias + 3. The
    gate blocks are i, f, c, o in both; PyTorch's second bias is zero and not trained."""
    g = 4 * hidden
    count = g * (features + hidden + 1) + hidden + 1
    bound = 1 / math.sqrt(hidden)
    values = ((2 * random.draws(count) - 1) * bound).astype(np.float32)
    kernel = values[: features * g].reshape(features, g)
    recurrent = values[features * g : (features + hidden) * g].reshape(hidden, g)
    bias = values[(features + hidden) * g : (features + hidden + 1) * g].copy()
    head = values[(features + hidden + 1) * g :]
    bias[hidden : 2 * hidden] += np.float32(FORGET_BIAS)
    with torch.no_grad():
        model.lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T.copy()))
        model.lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent.T.copy()))
        model.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
        model.lstm.bias_hh_l0.zero_()
        model.head.weight.copy_(torch.from_numpy(head[:hidden].reshape(1, hidden).copy()))
        model.head.bias.copy_(torch.from_numpy(head[hidden:].copy()))
    # One bias, as tfjs' LSTM (and src/lstm) has: PyTorch's second one stays zero and out of
    # training. Trained, it would get the same gradient as the first, so the clipped norm
    # would count it twice and Adam would move the gate biases twice as fast.
    model.lstm.bias_hh_l0.requires_grad_(False)


def predict(model, x, batch=256):
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(x), batch):
            out.append(model(torch.from_numpy(x[start : start + batch])).numpy())
    model.train()
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def nse(observed, simulated):
    keep = ~(np.isnan(observed) | np.isnan(simulated))
    o = observed[keep].astype(np.float64)
    s = simulated[keep].astype(np.float64)
    if len(o) == 0:
        return float("nan")
    variance = float(((o - o.mean()) ** 2).sum())
    return float("nan") if variance == 0 else 1 - float(((s - o) ** 2).sum()) / variance


def nse_by_basin(split, basins, predicted):
    """NSE per basin (normalised or in mm/day: the same, NSE does not change under y*a+b)."""
    return {
        name: nse(split["y"][split["basin"] == b], predicted[split["basin"] == b])
        for b, name in enumerate(basins)
    }


def median(values):
    kept = sorted(v for v in values if not math.isnan(v))
    if not kept:
        return float("nan")
    m = len(kept) // 2
    return kept[m] if len(kept) % 2 else (kept[m - 1] + kept[m]) / 2


def coefficients(split, basin_std, indices):
    """NSE* weights (src/lstm/loss.ts): 1/(s_b + 0.1)^2 / n, 0 for a NaN target."""
    y = split["y"][indices]
    c = 1 / (basin_std[split["basin"][indices]].astype(np.float64) + NSE_EPSILON) ** 2
    c[np.isnan(y)] = 0
    valid = int((~np.isnan(y)).sum())
    return c / valid if valid else c


def nse_star(split, basin_std, predicted):
    indices = np.arange(split["count"])
    c = coefficients(split, basin_std, indices)
    y = split["y"].astype(np.float64)
    valid = ~np.isnan(y)
    if not valid.any():
        return float("nan")
    return float((c[valid] * (predicted[valid].astype(np.float64) - y[valid]) ** 2).sum())


def train(windows, epochs, hp, log=lambda message: None, max_samples=None):
    """Trains as src/lstm/train.ts; returns the model (best epoch's weights) and its record."""
    torch.manual_seed(hp["seed"])
    torch.set_num_threads(hp["threads"])
    t = windows["train"]
    v = windows["validation"]
    if max_samples is not None:
        t = {k: (a[:max_samples] if k != "count" else min(a, max_samples)) for k, a in t.items()}
    features = t["x"].shape[2]
    hidden = hp["hidden"]
    random = SeededRandom(hp["seed"])
    model = Lstm(features, hidden)
    initialise(model, features, hidden, random)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.Adam(trained, lr=hp["learningRate"])
    basin_std = windows["basinStd"]
    order = [i for i in range(t["count"]) if not math.isnan(t["y"][i])]
    if not order:
        raise ValueError("no training sample has a target")
    keep = 1 / (1 - hp["dropout"])
    history = []
    best = None
    stopped_early = False
    for epoch in range(1, epochs + 1):
        started = time.perf_counter()
        random.shuffle(order)
        loss_sum = 0.0
        for start in range(0, len(order), hp["batchSize"]):
            indices = np.asarray(order[start : start + hp["batchSize"]])
            c = torch.from_numpy(coefficients(t, basin_std, indices).astype(np.float32))
            u = random.draws(len(indices) * hidden).reshape(len(indices), hidden)
            mask = torch.from_numpy(np.where(u < hp["dropout"], 0.0, keep).astype(np.float32))
            x = torch.from_numpy(t["x"][indices])
            y = torch.from_numpy(np.nan_to_num(t["y"][indices]))
            loss = (c * (model(x, mask) - y) ** 2).sum()
            optimiser.zero_grad()
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(trained, hp["clipNorm"])
            if not (math.isfinite(loss.item()) and math.isfinite(float(norm))):
                raise FloatingPointError(
                    "epoch %d: the loss or gradient is not finite (loss %s, gradient norm %s); "
                    "check the samples for NaN or infinite inputs" % (epoch, loss.item(), norm)
                )
            optimiser.step()
            loss_sum += loss.item() * len(indices)
        predicted = predict(model, v["x"])
        record = {
            "epoch": epoch,
            "trainLoss": loss_sum / len(order),
            "validationLoss": nse_star(v, basin_std, predicted),
            "validationMedianNse": median(nse_by_basin(v, windows["basins"], predicted).values()),
            "seconds": time.perf_counter() - started,
        }
        history.append(record)
        log(
            "epoch %d: train NSE* %.4f, validation median NSE %.3f (%.1f s)"
            % (epoch, record["trainLoss"], record["validationMedianNse"], record["seconds"])
        )
        score = record["validationMedianNse"]
        if not math.isnan(score) and (best is None or score > best["nse"]):
            best = {"nse": score, "epoch": epoch, "state": _copy(model.state_dict())}
        elif best is not None and epoch - best["epoch"] >= hp["patience"]:
            stopped_early = epoch < epochs
            break
    if best is not None:
        model.load_state_dict(best["state"])
    return model, {
        "history": history,
        "bestEpoch": best["epoch"] if best else len(history),
        "stoppedEarly": stopped_early,
    }


def _copy(state):
    return {k: v.detach().clone() for k, v in state.items()}


def _round(x):
    return float("%.6g" % x) if math.isfinite(x) else None


def main():
    with weir_pipes.open() as ctx:
        hp = ctx.params["hyperparameters"]
        epochs = int(ctx.inputs["budget"]["dataVersion"])
        max_samples = ctx.params.get("maxSamples")
        windows = read_windows(ctx.inputs["windows"])
        ctx.log.info(
            "training on %d samples, %d features, torch %s, %d thread(s)"
            % (windows["train"]["count"], len(windows["featureNames"]), torch.__version__, hp["threads"])
        )
        started = time.perf_counter()
        model, record = train(windows, epochs, hp, ctx.log.info, max_samples)
        seconds = time.perf_counter() - started
        history = record["history"]
        best = next(e for e in history if e["epoch"] == record["bestEpoch"])
        test = nse_by_basin(windows["test"], windows["basins"], predict(model, windows["test"]["x"]))
        epoch_seconds = [e["seconds"] for e in history]

        os.makedirs(ctx.output_path, exist_ok=True)
        torch.save(model.state_dict(), os.path.join(ctx.output_path, "model.pt"))
        with open(os.path.join(ctx.output_path, "training.json"), "w") as f:
            # Deterministic content only (no timings), as the TypeScript model's training.json.
            json.dump(
                {
                    "hyperparameters": dict(hp, maxEpochs=epochs, loss="NSE*"),
                    "featureNames": windows["featureNames"],
                    "trainLoss": [_round(e["trainLoss"]) for e in history],
                    "validationMedianNse": [_round(e["validationMedianNse"]) for e in history],
                    "bestEpoch": record["bestEpoch"],
                },
                f,
                indent=2,
            )
        ctx.report_metadata(
            {
                "hyperparameters": dict(hp, maxEpochs=epochs, loss="NSE*"),
                "trainLoss": [_round(e["trainLoss"]) for e in history],
                "validationLoss": [_round(e["validationLoss"]) for e in history],
                "validationMedianNse": [_round(e["validationMedianNse"]) for e in history],
                "epochSeconds": [_round(s) for s in epoch_seconds],
                "epochs": len(history),
                "bestEpoch": record["bestEpoch"],
                "stoppedEarly": record["stoppedEarly"],
                "best.validationMedianNse": _round(best["validationMedianNse"]),
                "test.medianNse": _round(median(test.values())),
                "test.nse": {basin: _round(v) for basin, v in test.items()},
                "secondsPerEpoch": _round(median(epoch_seconds)),
                "seconds": _round(seconds),
                "samples.train": min(windows["train"]["count"], max_samples or 10**9),
                "backend": "PyTorch %s CPU, %d thread(s), %s"
                % (torch.__version__, torch.get_num_threads(), _blas()),
            }
        )
        ctx.report_output_path()


def _blas():
    """The BLAS library this process loaded (torch's build says only "generic" when it uses
    the system's libblas.so.3, which Debian points at the reference BLAS unless OpenBLAS or
    BLIS is installed: the difference is several-fold)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        paths = set()
    real = sorted(os.path.realpath(p) for p in paths)
    for name, kind in (("libopenblas", "OpenBLAS"), ("libblis", "BLIS"), ("libmkl", "MKL")):
        found = [p for p in real if os.path.basename(p).startswith(name)]
        if found:
            return "%s (%s)" % (kind, found[0])
    found = [p for p in real if os.path.basename(p).startswith("libblas")]
    if found and "/blas/" in found[0]:
        return "reference BLAS (%s)" % found[0]
    return "BLAS %s" % (found[0] if found else "unknown")


if __name__ == "__main__":
    main()
