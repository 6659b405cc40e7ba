"""The Python reference of jigsaw puzzles for tests/bench/reference.py: the task's default
model written again with torch.nn's own layers (the same parameters and FLOPs as the
program's; test_cli pythonReferenceIsTheSameModel checks), a batch of random data of the
C++ benchmark's shapes, and the loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_nets import EncoderDecoder, center_mask, encoder, masked_mse, position_loss

TASK = "jigsaw"


class JigsawNet(nn.Module):
    """One encoder shared by every tile, a 2x2 map per tile, an MLP over the tiles."""

    def __init__(self, base, tiles, outputs, position, p=None):
        super().__init__()
        self.tiles, self.position = tiles, position
        self.encoder = encoder(3, base, p)
        self.tile_fc = nn.Linear(self.encoder.out_channels * 4, 128)
        self.fc1 = nn.Linear(tiles * 128, 512)
        self.fc2 = nn.Linear(512, outputs)

    def forward(self, x):
        b = x.shape[0]
        f = F.adaptive_avg_pool2d(self.encoder(x.flatten(0, 1)), 2).flatten(1)
        f = F.relu(self.tile_fc(f)).view(b, -1)
        logits = self.fc2(F.relu(self.fc1(f)))
        return logits.view(b, self.tiles, self.tiles) if self.position else logits


def make(entry, batch, device, g):
    p, shape, out_shape = entry["params"], entry["sample_shape"], entry["output_shape"]
    base = int(p["base_channels"])
    x = torch.rand(batch, *shape, generator=g).to(device)
    tiles = shape[0]
    if p["head"] == "position":
        perms = torch.stack([torch.randperm(tiles, generator=g) for _ in range(batch)]).to(device)
        return JigsawNet(base, tiles, tiles * tiles, True, p), x, lambda out: position_loss(out, perms)
    target = torch.randint(0, out_shape[0], (batch,), generator=g).to(device)
    return JigsawNet(base, tiles, out_shape[0], False, p), x, lambda out: F.cross_entropy(out, target)
