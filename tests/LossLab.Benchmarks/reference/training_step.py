"""PyTorch reference for tests/LossLab.Benchmarks/TrainingBenchmarks.cs: the same training step, written the same way.

Each step: one shuffled mini-batch taken by index_select from a permutation drawn per epoch, zero_grad, forward,
cross-entropy, backward, Adam step (lr 1e-3), loss.item(). Models: small = 64-256-10 (batch 128), big = 784-1024-1024-10
(batch 256), default Linear/ReLU initialisation. Prints one JSON line per round with steps/s.

Usage (Debian 12: apt-get install -y python3-torch libopenblas0-openmp, so that torch uses OpenBLAS):
    /usr/bin/python3 training_step.py small 1 [steps] [warmup] [rounds]
"""
import json
import os
import statistics
import sys
import time

import torch

STEPS_PER_EPOCH = 16


def main():
    config = sys.argv[1] if len(sys.argv) > 1 else "small"
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else (3200 if config == "small" else 160)
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else (320 if config == "small" else 16)
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    widths, batch = ([64, 256, 10], 128) if config == "small" else ([784, 1024, 1024, 10], 256)
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = STEPS_PER_EPOCH * batch
    x_all = torch.randn(n, widths[0])
    y_all = torch.randint(0, widths[-1], (n,))
    gen = torch.Generator().manual_seed(1)

    def run(count):
        done = 0
        last = 0.0
        while done < count:
            order = torch.randperm(n, generator=gen)
            for start in range(0, n, batch):
                if done == count:
                    break
                idx = order[start:start + batch]
                x, y = x_all.index_select(0, idx), y_all.index_select(0, idx)
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                opt.step()
                last = loss.item()
                done += 1
        return last

    run(warmup)
    rates = []
    for r in range(rounds):
        t0 = time.perf_counter()
        run(steps)
        rate = steps / (time.perf_counter() - t0)
        rates.append(rate)
        print(json.dumps({"config": config, "threads": threads, "round": r, "steps": steps, "steps_per_s": round(rate, 2),
                          "torch": torch.__version__}), flush=True)
    print(json.dumps({"config": config, "threads": threads, "median_steps_per_s": round(statistics.median(rates), 2),
                      "libblas": os.path.realpath("/lib/x86_64-linux-gnu/libblas.so.3")}), flush=True)


if __name__ == "__main__":
    main()
