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
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- models

def down_stage(cin, cout):
    return [nn.Conv2d(cin, cout, 4, 2, 1), nn.BatchNorm2d(cout), nn.ReLU(True),
            nn.Conv2d(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout), nn.ReLU(True)]


def up_stage(cin, cout):
    return [nn.ConvTranspose2d(cin, cout, 4, 2, 1), nn.BatchNorm2d(cout), nn.ReLU(True)]


def encoder(cin, base):
    return nn.Sequential(*down_stage(cin, base), *down_stage(base, 2 * base),
                         *down_stage(2 * base, 4 * base))


class EncoderDecoder(nn.Module):
    """Encoder, three transposed-convolution stages back to full size, the input
    joined at full resolution, two 3x3 convolutions."""

    def __init__(self, cin, base, cout, tanh):
        super().__init__()
        self.encoder = encoder(cin, base)
        full = max(8, base // 2)
        self.up = nn.Sequential(*up_stage(4 * base, 2 * base), *up_stage(2 * base, base),
                                *up_stage(base, full))
        self.head = nn.Sequential(nn.Conv2d(full + cin, full, 3, 1, 1), nn.ReLU(True),
                                  nn.Conv2d(full, cout, 3, 1, 1),
                                  nn.Tanh() if tanh else nn.Sigmoid())

    def forward(self, x):
        return self.head(torch.cat([self.up(self.encoder(x)), x], 1))


class ColorClassNet(nn.Module):
    def __init__(self, base, bins):
        super().__init__()
        self.encoder = encoder(1, base)
        mid = 2 * base
        self.head = nn.Sequential(nn.ConvTranspose2d(4 * base, mid, 4, 2, 1), nn.BatchNorm2d(mid),
                                  nn.ReLU(True), nn.Conv2d(mid, mid, 3, 1, 1), nn.BatchNorm2d(mid),
                                  nn.ReLU(True), nn.Conv2d(mid, bins, 1))

    def forward(self, x):
        return self.head(self.encoder(x))


class JigsawNet(nn.Module):
    """One encoder shared by every tile, a 2x2 map per tile, an MLP over the tiles."""

    def __init__(self, base, tiles, outputs, position):
        super().__init__()
        self.tiles, self.position = tiles, position
        self.encoder = encoder(3, base)
        self.tile_fc = nn.Linear(4 * base * 4, 128)
        self.fc1 = nn.Linear(tiles * 128, 512)
        self.fc2 = nn.Linear(512, outputs)

    def forward(self, x):
        b = x.shape[0]
        f = F.adaptive_avg_pool2d(self.encoder(x.flatten(0, 1)), 2).flatten(1)
        f = F.relu(self.tile_fc(f)).view(b, -1)
        logits = self.fc2(F.relu(self.fc1(f)))
        return logits.view(b, self.tiles, self.tiles) if self.position else logits


class TemporalNet(nn.Module):
    """One encoder shared by every frame, a 4x4 map per frame, pairwise fusion (sort)
    or concatenation (verify), two linear layers."""

    def __init__(self, base, frames, outputs, pairwise, position):
        super().__init__()
        self.frames, self.pairwise, self.position = frames, pairwise, position
        self.encoder = encoder(3, base)
        self.frame_fc = nn.Linear(4 * base * 16, 128)
        fused = frames * 128
        if pairwise:
            self.pair_fc = nn.Linear(256, 128)
            fused = frames * (frames - 1) // 2 * 128
        self.fc1 = nn.Linear(fused, 256)
        self.fc2 = nn.Linear(256, outputs)

    def forward(self, x):
        b = x.shape[0]
        f = F.adaptive_avg_pool2d(self.encoder(x.flatten(0, 1)), 4).flatten(1)
        f = F.relu(self.frame_fc(f)).view(b, self.frames, -1)
        if self.pairwise:
            pairs = [F.relu(self.pair_fc(torch.cat([f[:, i], f[:, j]], 1)))
                     for i in range(self.frames) for j in range(i + 1, self.frames)]
            fused = torch.cat(pairs, 1)
        else:
            fused = f.flatten(1)
        logits = self.fc2(F.relu(self.fc1(fused)))
        return logits.view(b, self.frames, self.frames) if self.position else logits


class RotationNet(nn.Module):
    """The encoder on each rotated image, a 2x2 map, two linear layers to 4 logits."""

    def __init__(self, base):
        super().__init__()
        self.encoder = encoder(3, base)
        self.fc1 = nn.Linear(4 * base * 4, 256)
        self.fc2 = nn.Linear(256, 4)

    def forward(self, x):
        f = F.adaptive_avg_pool2d(self.encoder(x), 2).flatten(1)
        return self.fc2(F.relu(self.fc1(f)))


# ---------------------------------------------------------------- tasks: model, batch, loss

def center_mask(b, s, fraction):
    m = torch.ones(b, 1, s, s)
    side = int(round(s * fraction))
    o = (s - side) // 2
    m[:, :, o:o + side, o:o + side] = 0
    return m


def masked_mse(out, target, mask):
    w = (1 - mask).expand_as(out)
    return (w * (out - target).pow(2)).sum() / w.sum().clamp_min(1.0)


def position_loss(logits, perms):
    return -F.log_softmax(logits, 2).gather(2, perms.unsqueeze(2)).squeeze(2).sum(1).mean()


def make_task(entry, batch, device):
    """The model, one batch of random data of the C++ batch's shapes, and the loss,
    on `device` (the data are drawn on the CPU, so every device trains on the same)."""
    task, p = entry["task"], entry["params"]
    shape, out_shape = entry["sample_shape"], entry["output_shape"]
    base = int(p["base_channels"])
    g = torch.Generator().manual_seed(1)
    if task == "rotation":  # each image in its four rotations: 4 samples per image
        x = torch.rand(4 * batch, *shape, generator=g).to(device)
        target = torch.arange(4).repeat_interleave(batch).to(device)
        return RotationNet(base), x, lambda out: F.cross_entropy(out, target)
    x = torch.rand(batch, *shape, generator=g).to(device)
    if task == "inpainting":
        s = shape[-1]
        mask = center_mask(batch, s, float(p.get("center_fraction", 0.5))).to(device)
        target = torch.rand(batch, 3, s, s, generator=g).to(device)
        x = torch.cat([x[:, :3] * mask, mask], 1)
        return EncoderDecoder(shape[0], base, 3, False), x, lambda out: masked_mse(out, target, mask)
    if task == "colorization":
        if p["mode"] == "regression":
            target = torch.rand(batch, *out_shape, generator=g).to(device) * 2 - 1
            return EncoderDecoder(1, base, 2, True), x, lambda out: (out - target).pow(2).mean()
        bins, h, w = out_shape
        soft_bins = torch.randint(0, bins, (batch, 5, h, w), generator=g).to(device)
        soft_w = torch.rand(batch, 5, h, w, generator=g).to(device)
        soft_w = soft_w / soft_w.sum(1, keepdim=True)
        pixel_w = torch.rand(batch, h, w, generator=g).to(device) + 0.5

        def color_class_loss(out):
            per_pixel = -(F.log_softmax(out, 1).gather(1, soft_bins) * soft_w).sum(1)
            return (pixel_w * per_pixel).mean()
        return ColorClassNet(base, bins), x, color_class_loss
    if task == "jigsaw":
        tiles = shape[0]
        if p["head"] == "position":
            perms = torch.stack([torch.randperm(tiles, generator=g) for _ in range(batch)]).to(device)
            return JigsawNet(base, tiles, tiles * tiles, True), x, lambda out: position_loss(out, perms)
        target = torch.randint(0, out_shape[0], (batch,), generator=g).to(device)
        return JigsawNet(base, tiles, out_shape[0], False), x, lambda out: F.cross_entropy(out, target)
    if task == "temporal-order":
        frames = shape[0]
        if p["variant"] == "verify":
            target = torch.randint(0, 2, (batch,), generator=g).to(device).float()
            return (TemporalNet(base, frames, 1, False, False), x,
                    lambda out: F.binary_cross_entropy_with_logits(out.view(-1), target))
        if p["head"] == "position":
            perms = torch.stack([torch.randperm(frames, generator=g) for _ in range(batch)]).to(device)
            return (TemporalNet(base, frames, frames * frames, True, True), x,
                    lambda out: position_loss(out, perms))
        target = torch.randint(0, out_shape[0], (batch,), generator=g).to(device)
        return (TemporalNet(base, frames, out_shape[0], True, False), x,
                lambda out: F.cross_entropy(out, target))
    raise SystemExit(f"reference.py: no reference model for task '{task}'")


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

    def step():
        loss = loss_fn(model(x))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.detach()

    seconds, loss = fastest_block(step, warmup, steps, device)
    if not math.isfinite(loss.item()):
        raise SystemExit(f"reference.py: {entry['task']}: the loss became {loss.item()}")
    return {"task": entry["task"], "device": str(device), "parameters": params, "forward_flops": flops,
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
        print(f"reference {r['task']} ({r['device']}): {r['model_images_per_s']:.1f} images/s "
              f"({r['model_ms_per_step']:.1f} ms per step), {r['model_gflops']:.1f} GFLOP/s, "
              f"{r['parameters']} parameters, {r['forward_flops'] / 1e6:.1f} MFLOP forward, "
              f"{r['threads']}", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"tasks": results}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
