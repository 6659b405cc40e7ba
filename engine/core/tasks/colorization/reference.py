"""The Python reference of colorization for tests/bench/reference.py: the task's default
model written again with torch.nn's own layers (the same parameters and FLOPs as the
program's; test_cli pythonReferenceIsTheSameModel checks), a batch of random data of the
C++ benchmark's shapes, and the loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from reference_nets import EncoderDecoder, center_mask, encoder, masked_mse, position_loss

TASK = "colorization"


class ColorClassNet(nn.Module):
    def __init__(self, base, bins, p=None):
        super().__init__()
        self.encoder = encoder(1, base, p)
        mid = 2 * base
        ups = max(1, self.encoder.stride.bit_length() - 1 - 2)  # to 1/4 of the image
        up = []
        for u in range(ups):
            up += [nn.ConvTranspose2d(self.encoder.out_channels if u == 0 else mid, mid, 4, 2, 1),
                   nn.BatchNorm2d(mid), nn.ReLU(True)]
        self.head = nn.Sequential(*up, nn.Conv2d(mid, mid, 3, 1, 1), nn.BatchNorm2d(mid),
                                  nn.ReLU(True), nn.Conv2d(mid, bins, 1))

    def forward(self, x):
        return self.head(self.encoder(x))


def make(entry, batch, device, g):
    p, shape, out_shape = entry["params"], entry["sample_shape"], entry["output_shape"]
    base = int(p["base_channels"])
    x = torch.rand(batch, *shape, generator=g).to(device)
    if p["mode"] == "regression":
        target = torch.rand(batch, *out_shape, generator=g).to(device) * 2 - 1
        return EncoderDecoder(1, base, 2, True, p), x, lambda out: (out - target).pow(2).mean()
    bins, h, w = out_shape
    soft_bins = torch.randint(0, bins, (batch, 5, h, w), generator=g).to(device)
    soft_w = torch.rand(batch, 5, h, w, generator=g).to(device)
    soft_w = soft_w / soft_w.sum(1, keepdim=True)
    pixel_w = torch.rand(batch, h, w, generator=g).to(device) + 0.5

    def color_class_loss(out):
        per_pixel = -(F.log_softmax(out, 1).gather(1, soft_bins) * soft_w).sum(1)
        return (pixel_w * per_pixel).mean()
    return ColorClassNet(base, bins, p), x, color_class_loss
