#!/usr/bin/python3
"""PyTorch baseline for bench_train: the same model and loop, side by side with agl in one run.

Model: per-atom network 22 -> 10 -> 10 -> 1 (tanh, tanh, linear), fp64, structure energy = sum over its 256
atoms, loss = mean over the batch of ((E - E_ref) / N)^2, AdamW (lr 1e-3, weight decay 1e-6), mini-batches
of 256 structures; per epoch also the validation forward pass (10 %), as agl's Trainer does.
Measures one model and K models (K sequential single-model runs, and K models batched with torch.bmm).

usage: tools/bench_torch_train.py [--structures 300] [--models 16] [--epochs 2] [--threads 1,2]
                                  [--agl build/bench/bench_train]
With --agl, runs agl's bench_train with the same sizes first and prints the ratios per thread count.
Times are process CPU seconds (time.process_time), like bench_train.
"""
import argparse
import re
import subprocess
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("PyTorch is not installed (Debian: apt-get install python3-torch)")


def make_data(num_structures, atoms=256, features=22, seed=1):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(num_structures, atoms, features, generator=g, dtype=torch.float64).abs()
    e = torch.randn(num_structures, generator=g, dtype=torch.float64) * atoms * 0.1
    return x, e


def init_models(k, sizes=(22, 10, 10, 1), seed=1):
    g = torch.Generator().manual_seed(seed)
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        limit = (6.0 / (a + b)) ** 0.5
        w = ((torch.rand(k, a, b, generator=g, dtype=torch.float64) * 2 - 1) * limit).requires_grad_()
        bias = torch.zeros(k, 1, b, dtype=torch.float64, requires_grad=True)
        params += [w, bias]
    return params


def forward(params, x):  # x: (k, rows, 22) -> (k, rows)
    h = x
    n = len(params) // 2
    for i in range(n):
        h = torch.baddbmm(params[2 * i + 1], h, params[2 * i])
        if i + 1 < n:
            h = torch.tanh(h)
    return h.squeeze(-1)


def epoch(params, opt, x, e, train_idx, val_idx, k, batch=256, atoms=256):
    perm = train_idx[torch.randperm(len(train_idx))]
    for start in range(0, len(perm), batch):
        idx = perm[start:start + batch]
        xb = x[idx].reshape(1, -1, x.shape[-1]).expand(k, -1, -1)
        energies = forward(params, xb).reshape(k, len(idx), atoms).sum(-1)
        loss = (((energies - e[idx]) / atoms) ** 2).mean(-1).sum()  # sum over models: independent gradients
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    with torch.no_grad():
        for start in range(0, len(val_idx), batch):
            idx = val_idx[start:start + batch]
            forward(params, x[idx].reshape(1, -1, x.shape[-1]).expand(k, -1, -1))


def seconds_per_epoch(x, e, k, epochs):
    n = x.shape[0]
    val = int(round(0.1 * n))
    idx = torch.randperm(n, generator=torch.Generator().manual_seed(3))
    val_idx, train_idx = idx[:val], idx[val:]
    params = init_models(k)
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-6)
    epoch(params, opt, x, e, train_idx, val_idx, k)  # warm-up
    t0 = time.process_time()
    for _ in range(epochs):
        epoch(params, opt, x, e, train_idx, val_idx, k)
    return (time.process_time() - t0) / epochs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--structures", type=int, default=300)
    ap.add_argument("--models", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--agl", help="path of agl's bench_train, run first with the same sizes")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    ours = {}
    if args.agl:
        out = subprocess.run([args.agl, str(args.structures), str(args.models), str(args.epochs), args.threads],
                             check=True, capture_output=True, text=True).stdout
        print(out, end="")
        for m in re.finditer(r"ours_epoch_seconds threads=(\d+) K=\d+ single_cpu=(\S+) single_wall=\S+ "
                             r"sequential_cpu=(\S+) batched_cpu=(\S+)", out):
            ours[int(m.group(1))] = tuple(float(v) for v in m.group(2, 3, 4))
    x, e = make_data(args.structures)
    print(f"PyTorch {torch.__version__}, same model and loop, fp64, {args.structures} structures x 256 atoms")
    for t in threads:
        torch.set_num_threads(t)
        one = seconds_per_epoch(x, e, 1, args.epochs)
        batched = seconds_per_epoch(x, e, args.models, args.epochs)
        print(f"threads = {t}")
        print(f"  torch 1 model          : {one:8.4f} CPU s/epoch")
        print(f"  torch {args.models:2d} sequential    : {one * args.models:8.4f} CPU s/epoch (16 x 1 model)")
        print(f"  torch {args.models:2d} batched (bmm) : {batched:8.4f} CPU s/epoch")
        if t in ours:
            s, q, b = ours[t]
            print(f"  agl vs torch, 1 model          : {one / s:.2f}x faster (target >= 3x)")
            print(f"  agl vs torch, {args.models} models batched: {batched / b:.2f}x faster")
            print(f"  agl batched vs torch sequential: {one * args.models / b:.2f}x faster")


if __name__ == "__main__":
    main()
