#!/usr/bin/env python3
"""PyTorch-in-Python reference for `distillery bench train`.

Reads one JSON object on stdin (written by dev.distillery.distill.bench.StudentJson): the student's
flat layer list exactly as StudentSpec#layers() describes it, the input/output shapes, and the
training settings the Java trainer uses (batch, samples held in memory, AdamW lr/weight decay,
temperature, threads, time budget). Trains the same network on random tensors of the same shapes
with the same loss, one warm-up epoch, then whole timed epochs until the time budget is spent, and
prints one JSON line with samples/s.

No second copy of the student zoo lives here: every layer comes from the Java side.
Run by hand (with a Python that has torch, e.g. Debian's /usr/bin/python3):
    distillery bench train --preset cls-tiny --dump-job | /usr/bin/python3 benchmarks/torch_reference.py
"""
import json
import sys
import time


def build(layers):
    import torch.nn as nn

    modules = []
    for layer in layers:
        t = layer["type"]
        if t == "conv":
            k = layer["kernel"]
            modules.append(nn.Conv2d(layer["in"], layer["out"], k, stride=layer["stride"], padding=k // 2,
                                     groups=layer["groups"], bias=layer["bias"]))
        elif t == "batchnorm":
            # DJL's momentum 0.9 (weight of the old running value) is PyTorch's momentum 0.1.
            modules.append(nn.BatchNorm2d(layer["channels"], eps=layer["eps"], momentum=layer["momentum"]))
        elif t == "relu":
            modules.append(nn.ReLU())
        elif t == "upsample_nearest_2x":
            modules.append(nn.Upsample(scale_factor=2, mode="nearest"))
        elif t == "global_avg_pool":
            modules.append(nn.AdaptiveAvgPool2d(1))
            modules.append(nn.Flatten())
        elif t == "dense":
            modules.append(nn.Linear(layer["in"], layer["out"], bias=True))
        else:
            raise ValueError("unknown layer type " + t)
    return nn.Sequential(*modules)


def loss_fn(kind, temperature):
    import torch.nn.functional as F

    if kind == "classifier":
        def kd(student, teacher):
            # T^2 * KL(softmax(t/T) || softmax(s/T)), averaged over the batch.
            log_ps = F.log_softmax(student / temperature, dim=1)
            log_pt = F.log_softmax(teacher / temperature, dim=1)
            return F.kl_div(log_ps, log_pt, reduction="batchmean", log_target=True) * temperature * temperature
        return kd
    if kind == "dense":
        return F.binary_cross_entropy_with_logits
    raise ValueError("unknown kind " + kind)


def main():
    cfg = json.load(sys.stdin)
    import torch

    # Thread settings first: interop threads can only be set before any parallel work starts.
    torch.set_num_interop_threads(cfg.get("interop_threads", 1))
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg.get("seed", 42))

    model = build(cfg["layers"])
    params = sum(p.numel() for p in model.parameters()) + sum(b.numel() for n, b in model.named_buffers()
                                                              if not n.endswith("num_batches_tracked"))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["learning_rate"], betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=cfg["weight_decay"])
    loss = loss_fn(cfg["kind"], cfg["temperature"])

    n, bs = cfg["samples"], cfg["batch"]
    inputs = torch.rand([n] + cfg["input_shape"])
    if cfg["kind"] == "classifier":
        targets = torch.randn([n] + cfg["output_shape"]) * 3  # teacher logits
    else:
        targets = torch.rand([n] + cfg["output_shape"])  # maps in [0, 1]
    model.train()

    clock = time.perf_counter
    phases = [0.0] * 4  # data, forward + loss, backward, optimizer step (seconds, timed epochs only)
    steps = [0]

    def epoch(timed):
        order = torch.randperm(n)
        seen = 0
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            if idx.numel() < 2:
                continue  # as the Java trainer: BatchNorm needs more than one value per channel
            t0 = clock()
            x = inputs.index_select(0, idx)
            y = targets.index_select(0, idx)
            t1 = clock()
            opt.zero_grad(set_to_none=True)
            value = loss(model(x), y)
            t2 = clock()
            value.backward()
            value.item()  # the Java trainer reads every step's loss too
            t3 = clock()
            opt.step()
            t4 = clock()
            if timed:
                for i, dt in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    phases[i] += dt
                steps[0] += 1
            seen += idx.numel()
        return seen

    for _ in range(cfg.get("warmup_epochs", 1)):
        epoch(False)
    samples, epochs = 0, 0
    start = time.perf_counter()
    cpu_start = time.thread_time()  # this thread only: with 1 intra-op thread it does all the work
    while True:
        samples += epoch(True)
        epochs += 1
        elapsed = time.perf_counter() - start
        cpu = time.thread_time() - cpu_start
        if elapsed >= cfg["seconds"] or epochs >= cfg.get("max_epochs", 1 << 30):
            break
    print(json.dumps({
        "samples_per_second": samples / elapsed,
        "samples": samples,
        "seconds": elapsed,
        "epochs": epochs,
        "params": params,
        "thread_cpu_ms_per_step": round(1e3 * cpu / max(1, steps[0]), 3),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "ms_per_step": {name: round(1e3 * t / max(1, steps[0]), 3)
                        for name, t in zip(("data", "forward_loss", "backward", "step"), phases)},
    }))


if __name__ == "__main__":
    main()
