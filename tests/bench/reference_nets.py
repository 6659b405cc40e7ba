"""What the tasks' Python references share (engine/core/tasks/<task>/reference.py): the
encoder and the encoder-decoder every task builds on, written with torch.nn's own layers
as the program's Models.cpp builds them, and the losses more than one task uses."""
import torch
import torch.nn as nn
import torch.nn.functional as F


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
