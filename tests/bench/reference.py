#!/usr/bin/python3
"""The Python reference for `pretext-workbench bench`: each task's default model,
written again here with torch.nn's own layers, trained the way the benchmark's
"model step alone" is trained, and timed the same way.

Same layers and sizes (checked: parameter count and forward FLOPs must equal the
C++ program's), same optimizer (Adam, the task's learning rate), same loss, same
batch shapes (read from the C++ benchmark's --json), same torch intra-op threads and
the same BLAS pool size (set through the BLAS library's own setter, as the C++
program does), warm-up steps and then the fastest of three timed blocks, the loss
read back once at the end. The data are random tensors of the batch's shapes,
made once: the reference times the model step alone.

Usage: reference.py --spec BENCH.json [--task NAME] [--steps N] [--device cpu|cuda] [--json OUT]
Needs Debian's python3-torch (the same LibTorch build the program links).
"""
import argparse
import ctypes
import glob
import importlib.util
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn


# ---------------------------------------------------------------- tasks

# Each task folder may hold its reference (engine/core/tasks/<task>/reference.py: TASK, the
# registry name, and make(entry, batch, device, generator) -> model, input, loss); a task
# without one has no Python comparison, and says so.
HERE = os.path.dirname(os.path.abspath(__file__))
TASKS_DIR = os.path.join(HERE, "..", "..", "engine", "core", "tasks")


def task_references():
    sys.path.insert(0, HERE)  # the references import reference_nets
    refs = {}
    for path in sorted(glob.glob(os.path.join(TASKS_DIR, "*", "reference.py"))):
        name = "reference_" + os.path.basename(os.path.dirname(path))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        refs[module.TASK] = module
    return refs


def make_task(entry, batch, device):
    """The model, one batch of random data of the C++ batch's shapes, and the loss,
    on `device` (the data are drawn on the CPU, so every device trains on the same)."""
    refs = task_references()
    if entry["task"] not in refs:
        raise SystemExit(f"reference.py: no reference model for task '{entry['task']}' "
                         f"(its folder under engine/core/tasks has no reference.py)")
    g = torch.Generator().manual_seed(1)
    return refs[entry["task"]].make(entry, batch, device, g)


# ---------------------------------------------------------------- measuring

def forward_flops(model, x):
    """Multiply-adds x 2 of the convolutions and linear layers for one sample."""
    total = [0]

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            total[0] += 2 * output.numel() * (module.in_channels // module.groups) * k
        elif isinstance(module, nn.ConvTranspose2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            total[0] += 2 * inputs[0].numel() * module.out_channels * k
        elif isinstance(module, nn.Linear):
            total[0] += 2 * inputs[0].numel() * module.out_features

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(x[:1])
    model.train(was_training)
    for h in handles:
        h.remove()
    return total[0]


def set_blas_threads(n):
    """Sets the BLAS pool the loaded LibTorch calls, as the C++ program does."""
    if n <= 0:
        return "left as found"
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line and ".so" in line})
    for lib in libs:
        handle = ctypes.CDLL(lib)
        for setter in ("openblas_set_num_threads", "bli_thread_set_num_threads"):
            if hasattr(handle, setter):
                getattr(handle, setter)(n)
                return f"{lib.rsplit('/', 1)[-1]} {n} thread{'s' if n > 1 else ''}"
    return "no BLAS setter found"


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def fastest_block(step, warmup, steps, device=torch.device("cpu")):
    for _ in range(warmup):
        step()
    blocks = 3 if steps >= 3 else 1
    per_block = max(1, steps // blocks)
    best = math.inf
    for _ in range(blocks):
        synchronize(device)
        t0 = time.perf_counter()
        for _ in range(per_block):
            loss = step()
        synchronize(device)
        best = min(best, (time.perf_counter() - t0) / per_block)
    return best, loss


def run(entry, batch, steps, warmup, device):
    torch.manual_seed(1)
    model, x, loss_fn = make_task(entry, batch, device)
    model = model.to(device)
    params = sum(p.numel() for p in model.parameters())
    flops = forward_flops(model, x)
    opt = torch.optim.Adam(model.parameters(), lr=entry["learning_rate"])
    # The precision the C++ run took: autocast around the forward pass, the loss in
    # float32, and for float16 a GradScaler (as the program's loss scaling).
    precision = entry.get("precision", "fp32")
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    scaler = torch.cuda.amp.GradScaler() if precision == "fp16" else None

    def step():
        with torch.autocast(device.type, dtype=dtype or torch.bfloat16, enabled=dtype is not None):
            out = model(x)
        loss = loss_fn(out.float())
        opt.zero_grad()
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        else:
            loss.backward()
            opt.step()
        return loss.detach()

    seconds, loss = fastest_block(step, warmup, steps, device)
    if not math.isfinite(loss.item()):
        raise SystemExit(f"reference.py: {entry['task']}: the loss became {loss.item()}")
    return {"task": entry["task"], "device": str(device), "precision": precision,
            "parameters": params, "forward_flops": flops,
            "model_ms_per_step": 1000 * seconds, "model_images_per_s": batch / seconds,
            "model_gflops": 3 * flops * entry.get("samples_per_image", 1) * batch / seconds / 1e9}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", required=True, help="JSON written by pretext-workbench bench --json")
    ap.add_argument("--task", help="only this task of the spec")
    ap.add_argument("--steps", type=int, help="timed steps (default: the spec's)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()
    with open(a.spec) as f:
        spec = json.load(f)
    entries = [e for e in spec["tasks"] if a.task in (None, e["task"])]
    if not entries:
        raise SystemExit(f"reference.py: {a.spec} has no task {a.task}")
    torch.set_num_threads(entries[0]["torch_threads"])
    blas = set_blas_threads(entries[0]["blas_threads"])
    results = []
    for e in entries:
        r = run(e, spec["batch"], a.steps or spec["steps"], spec["warmup_steps"], torch.device(a.device))
        r.update(threads=f"{torch.get_num_threads()} torch threads, {blas}", torch=torch.__version__,
                 memory=("malloc: GLIBC_TUNABLES=" + os.environ["GLIBC_TUNABLES"]
                         if os.environ.get("GLIBC_TUNABLES") else "malloc as found"))
        results.append(r)
        print(f"reference {r['task']} ({r['device']}, {r['precision']}): "
              f"{r['model_images_per_s']:.1f} images/s "
              f"({r['model_ms_per_step']:.1f} ms per step), {r['model_gflops']:.1f} GFLOP/s, "
              f"{r['parameters']} parameters, {r['forward_flops'] / 1e6:.1f} MFLOP forward, "
              f"{r['threads']}", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"tasks": results}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
