"""Same-sitting PyTorch reference for PairLossBenchmarks.cs.

pytorch-metric-learning (PML) cannot be installed here, so this script re-implements, with plain PyTorch ops, the
formulas PML 2.8.1 computes for the four benchmarked losses (its masked log-sum-exp helper with the empty-row-is-zero
rule, the multi-similarity and circle matrix losses, the batch-hard miner with triplet margin loss, and NT-Xent both as
PML builds it -- a (positive pairs x negative pairs) matrix -- and row-wise). It omits PML's module machinery (records,
index-tuple round trips, reducers), so it is a lower bound on PML's own time; PML's measured times are in
reference/baselines.md section 4. Protocol as there: torch.manual_seed(0); randn(256, 128) float32; labels i mod C;
each call clones the base with requires_grad; timed region = [mine] + loss + backward; median of 50 calls after 10
warm-ups (PML-style NT-Xent with 32 classes: 10 calls after 2).

Run with Debian's interpreter (torch 1.13 + OpenBLAS):  /usr/bin/python3 pair_loss_reference.py THREADS [--pml-form]
Prints one JSON line per loss: name, threads, median_ms (wall clock), median_cpu_ms and mean_cpu_ms (process CPU time), value.
--pml-form adds PML's (positive pairs x negative pairs) NT-Xent, which takes seconds per call and ~2 GB.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def masked_lse(x, keep, add_one, dim=1):
    x = x.masked_fill(~keep, float("-inf"))
    if add_one:
        zeros = torch.zeros(x.size(dim - 1), dtype=x.dtype).unsqueeze(dim)
        x = torch.cat([x, zeros], dim=dim)
    out = torch.logsumexp(x, dim=dim, keepdim=True)
    return out.masked_fill(~torch.any(keep, dim=dim, keepdim=True), 0)


def masks(labels):
    same = labels.unsqueeze(1) == labels.unsqueeze(0)
    eye = torch.eye(len(labels), dtype=torch.bool)
    return same & ~eye, ~same


def cosine(e):
    n = F.normalize(e, p=2, dim=1)
    return n @ n.t()


def avg_nonzero(v):
    nz = v > 0
    return v[nz].mean() if nz.any() else v.sum() * 0


def multi_similarity(e, labels, alpha=2.0, beta=50.0, base=0.5):
    s = cosine(e)
    pos, neg = masks(labels)
    pos_loss = masked_lse(alpha * (base - s), pos, True) / alpha
    neg_loss = masked_lse(beta * (s - base), neg, True) / beta
    return (pos_loss + neg_loss).squeeze(1).mean()


def circle(e, labels, m=0.4, gamma=80.0):
    s = cosine(e)
    pos, neg = masks(labels)
    sd = s.detach()
    lp = -gamma * F.relu(1 + m - sd) * (s - (1 - m))
    ln = gamma * F.relu(sd + m) * (s - m)
    lp = torch.where(pos, lp, torch.zeros_like(lp))
    ln = torch.where(neg, ln, torch.zeros_like(ln))
    loss = F.softplus(masked_lse(lp, pos, False) + masked_lse(ln, neg, False)).squeeze(1)
    loss = torch.where((pos.sum(1) == 0) | (neg.sum(1) == 0), torch.zeros_like(loss), loss)
    return avg_nonzero(loss)


def batch_hard_triplet(e, labels, margin=0.2):
    n = F.normalize(e, p=2, dim=1)
    pos, neg = masks(labels)
    with torch.no_grad():
        d = torch.cdist(n, n)
        hp = d.masked_fill(~pos, float("-inf")).max(1)
        hn = d.masked_fill(~neg, float("inf")).min(1)
        keep = pos.any(1) & neg.any(1)
        a = torch.arange(len(e))[keep]
        p, q = hp.indices[keep], hn.indices[keep]
    d = torch.cdist(n, n)
    return avg_nonzero(F.relu(d[a, p] - d[a, q] + margin))


def ntxent_pml(e, labels, tau=0.07):
    s = cosine(e)
    pos, neg = masks(labels)
    a1, p = torch.where(pos)
    a2, nn_ = torch.where(neg)
    pos_pairs = s[a1, p].unsqueeze(1) / tau
    neg_pairs = s[a2, nn_] / tau
    n_per_p = (a2.unsqueeze(0) == a1.unsqueeze(1)).float()
    neg_pairs = neg_pairs * n_per_p
    neg_pairs[n_per_p == 0] = float("-inf")
    max_val = torch.max(pos_pairs, torch.max(neg_pairs, dim=1, keepdim=True)[0]).detach()
    num = torch.exp(pos_pairs - max_val).squeeze(1)
    den = torch.sum(torch.exp(neg_pairs - max_val), dim=1) + num
    return (-torch.log(num / den + torch.finfo(s.dtype).tiny)).mean()


def ntxent_rowwise(e, labels, tau=0.07):
    s = cosine(e) / tau
    pos, neg = masks(labels)
    lse = masked_lse(s, neg, False)
    per = F.softplus(lse - s).masked_fill(~neg.any(1, keepdim=True), 0)
    return per[pos].mean()


def bench(name, fn, classes, threads, calls=50, warmup=10):
    torch.manual_seed(0)
    base = torch.randn(256, 128)
    labels = torch.arange(256) % classes
    times, cpu, value = [], [], None
    for i in range(warmup + calls):
        e = base.clone().requires_grad_(True)
        t0, c0 = time.perf_counter(), time.process_time()
        loss = fn(e, labels)
        loss.backward()
        t1, c1 = time.perf_counter(), time.process_time()
        value = loss.item()
        if i >= warmup:
            times.append((t1 - t0) * 1000)
            cpu.append((c1 - c0) * 1000)
    print(json.dumps({"name": name, "threads": threads, "median_ms": round(statistics.median(times), 3),
                      "median_cpu_ms": round(statistics.median(cpu), 3),
                      "mean_cpu_ms": round(statistics.fmean(cpu), 3), "value": round(value, 6)}), flush=True)


if __name__ == "__main__":
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    bench("multi_similarity", multi_similarity, 32, threads)
    bench("circle", circle, 32, threads)
    bench("triplet_batch_hard", batch_hard_triplet, 32, threads)
    bench("ntxent_rowwise_32x8", ntxent_rowwise, 32, threads)
    bench("ntxent_rowwise_128x2", ntxent_rowwise, 128, threads)
    if "--pml-form" in sys.argv:
        bench("ntxent_pml_form_128x2", ntxent_pml, 128, threads)
        bench("ntxent_pml_form_32x8", ntxent_pml, 32, threads, calls=10, warmup=2)
