"""The Python reference of rotation for tests/bench/reference.py: the task's default
model written again with torch.nn's own layers (the same parameters and FLOPs as the
program's; test_cli pythonReferenceIsTheSameModel checks), a batch of random data of the
C++ benchmark's shapes, and the loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_nets import EncoderDecoder, center_mask, encoder, masked_mse, position_loss

TASK = "rotation"


class RotationNet(nn.Module):
    """The encoder on each rotated image, a 2x2 map, two linear layers to 4 logits."""

    def __init__(self, base, p=None):
        super().__init__()
        self.encoder = encoder(3, base, p)
        self.fc1 = nn.Linear(self.encoder.out_channels * 4, 256)
        self.fc2 = nn.Linear(256, 4)

    def forward(self, x):
        f = F.adaptive_avg_pool2d(self.encoder(x), 2).flatten(1)
        return self.fc2(F.relu(self.fc1(f)))


def make(entry, batch, device, g):
    """Each image in its four rotations: 4 samples per image."""
    p, shape = entry["params"], entry["sample_shape"]
    base = int(p["base_channels"])
    x = torch.rand(4 * batch, *shape, generator=g).to(device)
    target = torch.arange(4).repeat_interleave(batch).to(device)
    return RotationNet(base, p), x, lambda out: F.cross_entropy(out, target)
