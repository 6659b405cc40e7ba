"""What the tasks' Python references share (engine/core/tasks/<task>/reference.py): the
encoder and the encoder-decoder every task builds on, written with torch.nn's own layers
as the program's Models.cpp builds them (a ResNet backbone: torchvision's own model),
and the losses more than one task uses."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def down_stage(cin, cout):
    return [nn.Conv2d(cin, cout, 4, 2, 1), nn.BatchNorm2d(cout), nn.ReLU(True),
            nn.Conv2d(cout, cout, 3, 1, 1), nn.BatchNorm2d(cout), nn.ReLU(True)]


def up_stage(cin, cout):
    return [nn.ConvTranspose2d(cin, cout, 4, 2, 1), nn.BatchNorm2d(cout), nn.ReLU(True)]


def encoder(cin, base, p=None):
    """The task's backbone (p["backbone"], p["stem"] as the C++ spec gives them), with its
    output channels and stride as attributes."""
    backbone = (p or {}).get("backbone", "small")
    if backbone == "small":
        seq = nn.Sequential(*down_stage(cin, base), *down_stage(base, 2 * base),
                            *down_stage(2 * base, 4 * base))
        seq.out_channels, seq.stride = 4 * base, 8
        return seq
    import torchvision
    m = getattr(torchvision.models, backbone)()
    small = p.get("stem") == "small-input"
    if small:
        m.conv1 = nn.Conv2d(cin, 64, 3, 1, 1, bias=False)
    elif cin != 3:
        m.conv1 = nn.Conv2d(cin, 64, 7, 2, 3, bias=False)
    stem = [m.conv1, m.bn1, m.relu] + ([] if small else [m.maxpool])
    seq = nn.Sequential(*stem, m.layer1, m.layer2, m.layer3, m.layer4)
    seq.out_channels, seq.stride = m.fc.in_features, 8 if small else 32
    return seq


class EncoderDecoder(nn.Module):
    """Encoder, three transposed-convolution stages back to full size, the input
    joined at full resolution, two 3x3 convolutions."""

    def __init__(self, cin, base, cout, tanh, p=None):
        super().__init__()
        self.encoder = encoder(cin, base, p)
        full = max(8, base // 2)
        ups = self.encoder.stride.bit_length() - 1
        first = 2 * base if ups > 2 else base
        middle = [layer for _ in range(ups - 3) for layer in up_stage(2 * base, 2 * base)]
        self.up = nn.Sequential(*up_stage(self.encoder.out_channels, first), *middle,
                                *up_stage(2 * base, base), *up_stage(base, full))
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
