"""The Python reference of temporal order for tests/bench/reference.py: the task's default
model written again with torch.nn's own layers (the same parameters and FLOPs as the
program's; test_cli pythonReferenceIsTheSameModel checks), a batch of random data of the
C++ benchmark's shapes, and the loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_nets import EncoderDecoder, center_mask, encoder, masked_mse, position_loss

TASK = "temporal-order"


class TemporalNet(nn.Module):
    """One encoder shared by every frame, a 4x4 map per frame, pairwise fusion (sort)
    or concatenation (verify), two linear layers."""

    def __init__(self, base, frames, outputs, pairwise, position, p=None):
        super().__init__()
        self.frames, self.pairwise, self.position = frames, pairwise, position
        self.encoder = encoder(3, base, p)
        self.frame_fc = nn.Linear(self.encoder.out_channels * 16, 128)
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


def make(entry, batch, device, g):
    p, shape, out_shape = entry["params"], entry["sample_shape"], entry["output_shape"]
    base = int(p["base_channels"])
    x = torch.rand(batch, *shape, generator=g).to(device)
    frames = shape[0]
    if p["variant"] == "verify":
        target = torch.randint(0, 2, (batch,), generator=g).to(device).float()
        return (TemporalNet(base, frames, 1, False, False, p), x,
                lambda out: F.binary_cross_entropy_with_logits(out.view(-1), target))
    if p["head"] == "position":
        perms = torch.stack([torch.randperm(frames, generator=g) for _ in range(batch)]).to(device)
        return (TemporalNet(base, frames, frames * frames, True, True, p), x,
                lambda out: position_loss(out, perms))
    target = torch.randint(0, out_shape[0], (batch,), generator=g).to(device)
    return (TemporalNet(base, frames, out_shape[0], True, False, p), x,
            lambda out: F.cross_entropy(out, target))
