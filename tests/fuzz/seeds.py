#!/usr/bin/env python3
"""Writes a small seed corpus per harness into DIR/<harness>/ (made here, not stored)."""
import json
import os
import struct
import sys
import zlib


def png(w, h):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = b"".join(b"\0" + b"\x80" * (3 * w) for _ in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg_header(w, h):
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\1\1\0\0\1\0\1\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\1\x11\0"
    return b"\xff\xd8" + app0 + sof + b"\xff\xda\0\x08\1\1\0\0\x3f\0" + b"\0" * 16 + b"\xff\xd9"


def tiff(w, h):
    entries = [(256, 3, 1, w), (257, 3, 1, h)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHIHH", t, ty, c, v, 0) for t, ty, c, v in entries)
    return b"II*\0" + struct.pack("<I", 8) + ifd + b"\0\0\0\0"


def idx(dims, kind=0x08):
    body = bytes(range(256)) * 4
    n = 1
    for d in dims:
        n *= d
    size = {0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8}[kind]
    return bytes([0, 0, kind, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + (body * (n * size // len(body) + 1))[: n * size]


seeds = {
    "fuzz_image_header": {
        "a.png": png(3, 2),
        "a.jpg": jpeg_header(7, 5),
        "a.bmp": b"BM" + b"\0" * 12 + struct.pack("<Iii", 40, 4, -3) + b"\0" * 28,
        "os2.bmp": b"BM" + b"\0" * 12 + struct.pack("<IHH", 12, 4, 3),
        "a.webp": b"RIFF\0\0\0\0WEBPVP8X" + struct.pack("<I", 10) + b"\0\0\0\0" + (4).to_bytes(3, "little") + (2).to_bytes(3, "little"),
        "l.webp": b"RIFF\0\0\0\0WEBPVP8L" + struct.pack("<I", 5) + b"\x2f" + struct.pack("<I", (3 << 14) | 5),
        "y.webp": b"RIFF\0\0\0\0WEBPVP8 " + struct.pack("<I", 10) + b"\0\0\0\x9d\x01\x2a" + struct.pack("<HH", 6, 4),
        "a.tif": tiff(6, 4),
        "a.ppm": b"P6\n# comment\n12 9\n255\n" + b"\0" * 30,
        "a.gif": b"GIF89a" + b"\0" * 8,
    },
    "fuzz_idx": {
        "images": idx([3, 4, 4]),
        "labels": idx([5]),
        "floats": idx([2, 3], 0x0D),
        "doubles": idx([2, 2], 0x0E),
    },
    "fuzz_config": {
        "demo.json": json.dumps({"task": "inpainting", "params": {"mask": "blocks"}, "batch_size": 8,
                                  "learning_rate": 0.001, "seed": "3", "max_steps": 10,
                                  "data": {"source": "demo", "size_px": 32, "count": 64}}).encode(),
        "jigsaw.json": json.dumps({"task": "jigsaw", "params": {"grid": 2, "perms": 10}, "device_requested": "cpu",
                                    "data": {"source": "files", "paths": ["/a", "/b"], "size_px": 64}}).encode(),
        "video.json": json.dumps({"task": "temporal", "data": {"source": "videos", "paths": ["v.avi"], "stride": 2,
                                                               "budget_mb": 64, "max_megapixels": 8}}).encode(),
    },
    "fuzz_run_files": {
        "manifest.json": json.dumps({"task": "inpainting", "step": 5, "bytes": 16,
                                      "sha256": "0" * 64}).encode(),
        "metrics.csv": b"step,wall_time_s,loss,accuracy\n1,0.1,0.5,\n2,0.2,0.4,0.3\n3,0.3,0.3,\n7,0.9,0.1,\n",
    },
}

for harness, files in seeds.items():
    folder = os.path.join(sys.argv[1], harness)
    os.makedirs(folder, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)

# Dictionaries: the config harness's JSON passes through Qt's parser, which is not
# instrumented, so the words of a config are given to the fuzzer.
words = ['"task"', '"params"', '"batch_size"', '"learning_rate"', '"seed"', '"device_requested"',
         '"max_steps"', '"data"', '"source"', '"paths"', '"size_px"', '"demo_seed"', '"count"',
         '"stride"', '"budget_mb"', '"max_megapixels"', '"labels"', '"draw_seed"', '"videos"',
         '"inpainting"', '"jigsaw"', '"colorization"', '"temporal"', '"rotation"', '"demo"', '"files"',
         '"idx"', '"mask"', '"grid"', '"perms"', '"head"', '"mode"', '"variant"', '"frames"',
         '"base_channels"', '"cpu"', '"cuda"', '"auto"', "1e300", "-1", "0.5", "4096", "null", "true",
         "[]", "{}", '""']
with open(os.path.join(sys.argv[1], "fuzz_config.dict"), "w") as f:
    f.writelines(f"w{i}={json.dumps(w)}\n" for i, w in enumerate(words))
