"""The Python reference of inpainting for tests/bench/reference.py: the task's default
model written again with torch.nn's own layers (the same parameters and FLOPs as the
program's; test_cli pythonReferenceIsTheSameModel checks), a batch of random data of the
C++ benchmark's shapes, and the loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_nets import EncoderDecoder, center_mask, encoder, masked_mse, position_loss

TASK = "inpainting"


def make(entry, batch, device, g):
    p, shape = entry["params"], entry["sample_shape"]
    base = int(p["base_channels"])
    s = shape[-1]
    x = torch.rand(batch, *shape, generator=g).to(device)
    mask = center_mask(batch, s, float(p.get("center_fraction", 0.5))).to(device)
    target = torch.rand(batch, 3, s, s, generator=g).to(device)
    x = torch.cat([x[:, :3] * mask, mask], 1)
    return EncoderDecoder(shape[0], base, 3, False, p), x, lambda out: masked_mse(out, target, mask)
