#!/usr/bin/python3
"""One line per task from the C++ benchmark's JSON and the Python reference's JSON
(several rounds each: the fastest of each side counts; and, given in the same order, the
i-th C++ file and the i-th Python file are a round run one after the other, whose ratio
is taken too: the median of those is the steadier figure on a machine whose speed
drifts from one minute to the next). Exits 1 when the two did not train the same model
(parameter count or FLOPs differ).

With --libtorch (the same C++ rounds run with --conv-route libtorch), each line also
gives the program's model step with every convolution by LibTorch's kernels, and the
ratio of the chosen routes (auto) to it.

Usage: table.py --cpp A.json [B.json...] [--libtorch A.json...] --py A.json [B.json...]
                [--ceiling C.json]"""
import argparse
import json
import statistics
import sys


def load(paths):
    by_task = {}
    for path in paths:
        with open(path) as f:
            for entry in json.load(f)["tasks"]:
                by_task.setdefault(entry["task"], []).append(entry)
    return by_task


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpp", nargs="+", required=True)
    ap.add_argument("--py", nargs="+", required=True)
    ap.add_argument("--libtorch", nargs="+", default=[],
                    help="C++ bench JSONs of the same rounds with --conv-route libtorch")
    ap.add_argument("--ceiling", help="a C++ bench JSON with the machine's ceiling")
    a = ap.parse_args()
    cpp, py, lib = load(a.cpp), load(a.py), load(a.libtorch)
    conv = 0
    if a.ceiling:
        with open(a.ceiling) as f:
            conv = json.load(f).get("ceiling", {}).get("conv_gflops", 0)
    bad = False
    for task, runs in cpp.items():
        if task not in py:
            print(f"{task:15s} no Python reference result")
            bad = True
            continue
        c = max(runs, key=lambda e: e["model_images_per_s"])
        p = max(py[task], key=lambda e: e["model_images_per_s"])
        app = max(e["train_images_per_s"] for e in runs)
        rounds = [a["model_images_per_s"] / b["model_images_per_s"] for a, b in zip(runs, py[task])]
        same = c["parameters"] == p["parameters"] and c["forward_flops"] == p["forward_flops"]
        bad |= not same
        line = f"{task:15s} {c['device']:5s} "
        if task in lib:
            l = max(lib[task], key=lambda e: e["model_images_per_s"])
            per_round = [x["model_images_per_s"] / y["model_images_per_s"] for x, y in zip(runs, lib[task])]
            line += (f"LibTorch route {l['model_images_per_s']:8.1f}  auto {c['model_images_per_s']:8.1f} images/s, "
                     f"auto/LibTorch {c['model_images_per_s'] / l['model_images_per_s']:.2f} "
                     f"(median of rounds {statistics.median(per_round):.2f}")
            in_process = [e["conv_ratio"] for e in runs if e.get("conv_rounds", 0) > 0]
            if in_process:
                line += f"; in one process {statistics.median(in_process):.2f}"
            line += ")  | "
        line += (f"C++ {c['model_images_per_s']:8.1f} images/s  "
                f"Python {p['model_images_per_s']:8.1f} images/s  "
                f"ratio {c['model_images_per_s'] / p['model_images_per_s']:.2f} "
                f"(median of rounds {statistics.median(rounds):.2f})  | "
                f"app step (new batch, loss read) {app:8.1f} images/s, "
                f"ratio {app / p['model_images_per_s']:.2f} (median of rounds "
                f"{statistics.median(a['train_images_per_s'] / b['model_images_per_s'] for a, b in zip(runs, py[task])):.2f})"
                f"  | C++ {c['model_gflops']:.1f} GFLOP/s")
        if conv:
            line += f" = {100 * c['model_gflops'] / conv:.0f}% of the conv ceiling"
        line += f"  | {c['parameters']} parameters, {c['forward_flops'] / 1e6:.1f} MFLOP"
        if not same:
            line += f"  MISMATCH: Python has {p['parameters']} parameters, {p['forward_flops']} FLOPs"
        if "conv_routes" in c:
            line += f"  | routes {c['conv_routes']}"
        print(line)
    first_c = next(iter(cpp.values()))[0]
    first_p = next(iter(py.values()))[0]
    print(f"fastest of {len(next(iter(cpp.values())))} round(s) each; C++: {first_c['threads']}, "
          f"{first_c.get('memory', 'malloc not reported')}; "
          f"Python: {first_p['threads']}, {first_p.get('memory', 'malloc not reported')}, torch {first_p['torch']}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
