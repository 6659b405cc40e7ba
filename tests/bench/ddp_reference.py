#!/usr/bin/python3
"""PyTorch's own data-parallel training, the peer of `pretext-workbench bench --nproc N`:
N processes on this machine, one torch thread each, joined over Gloo on loopback, each
training the benchmark's reference model (reference.py's: the same layers, or
torchvision's ResNet for a ResNet backbone) wrapped in DistributedDataParallel (its
default 25 MB buckets, buffers broadcast from rank 0) on one fixed batch of its share,
with Adam at the task's rate. Timed as the program's ranks time their "model step
alone": warm-up steps, then N steps, the loss read back at the end.

Then, as the program's bench --nproc does, one process with every thread on the same
global batch (no DDP), for PyTorch's own scaling.

Usage: ddp_reference.py --spec BENCH.json [--nproc N] [--steps N] [--warmup N] [--no-single]
                        [--json OUT]
BENCH.json: `pretext-workbench bench --json` of the same task, size and per-rank batch.
Started with torch.multiprocessing (Debian 12's torchrun does not start).
"""
import argparse
import json
import os
import socket
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference  # noqa: E402  (the task references and their models)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rank_main(rank, world, port, entry, batch, steps, warmup, threads, results):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(threads)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(1 + rank)  # rank 0's parameters win the broadcast, as in the program
    model, x, loss_fn = reference.make_task(entry, batch, torch.device("cpu"))
    # One process (world 1, the same global batch, every thread): the plain model.
    ddp = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    opt = torch.optim.Adam(ddp.parameters(), lr=entry["learning_rate"])

    def step():
        loss = loss_fn(ddp(x))
        opt.zero_grad()
        loss.backward()  # the buckets' all-reduces start during it
        opt.step()
        return loss.detach()

    for _ in range(warmup):
        step()
    dist.barrier()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    loss.item()
    seconds = time.perf_counter() - t0
    if rank == 0:
        results.put({"world": world, "threads": threads, "global_batch": batch * world,
                     "model_ms_per_step": 1000 * seconds / steps,
                     "model_images_per_s": batch * world * steps / seconds,
                     "parameters": sum(p.numel() for p in model.parameters()),
                     "torch": torch.__version__})
    dist.destroy_process_group()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", required=True)
    ap.add_argument("--nproc", type=int, default=2)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="per rank (0: the CPUs shared out)")
    ap.add_argument("--no-single", action="store_true",
                    help="skip the one-process baseline (every thread, the global batch)")
    ap.add_argument("--json")
    a = ap.parse_args()
    with open(a.spec) as f:
        spec = json.load(f)
    entry = spec["tasks"][0]
    cpus = len(os.sched_getaffinity(0))
    threads = a.threads or max(1, cpus // a.nproc)
    ctx = mp.get_context("spawn")
    results = ctx.SimpleQueue()
    mp.start_processes(rank_main, nprocs=a.nproc, start_method="spawn",
                       args=(a.nproc, free_port(), entry, spec["batch"], a.steps, a.warmup,
                             threads, results))
    r = results.get()
    print(f"PyTorch DDP, {r['world']} ranks x {r['threads']} thread(s) (gloo), {entry['task']}: "
          f"model step {r['model_images_per_s']:.1f} images/s, {r['model_ms_per_step']:.1f} ms, "
          f"{r['parameters']} parameters, torch {r['torch']}", flush=True)
    out = {"ranks": r}
    if not a.no_single:  # PyTorch's own baseline: one process, every thread, the global batch
        mp.start_processes(rank_main, nprocs=1, start_method="spawn",
                           args=(1, free_port(), entry, spec["batch"] * a.nproc, a.steps, a.warmup,
                                 max(threads * a.nproc, 1), results))
        one = results.get()
        out["one_process"] = one
        print(f"PyTorch, 1 process x {one['threads']} threads: model step "
              f"{one['model_images_per_s']:.1f} images/s; DDP / one process "
              f"{r['model_images_per_s'] / one['model_images_per_s']:.2f}x", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
