#pragma once
// What data-parallel training costs and gives on this machine: training steps timed in
// one process or as one rank of a distributed run, with the gradient all-reduce's share.
#include "Bench.h"
#include "Communicator.h"

#include <memory>
#include <string>

namespace pretext {

struct DataParallelFigures {
    int world = 1;
    int threads = 0; // torch threads of each process
    int64_t globalBatch = 0;
    double imagesPerSec = 0; // every rank's samples
    double msPerStep = 0;
    double allReduceWaitMs = 0; // per step: blocked after backward on the gradient all-reduce
    double allReduceSpanMs = 0; // per step: first bucket sent to last one reduced
    int64_t bytesPerStep = 0;   // gradients each rank sends into the all-reduce per step
    // One all-reduce of bytesPerStep alone, the ranks lined up first (median of 5): the
    // communication itself, without the wait for a slower rank.
    double allReduceAloneMs = 0;
    int buckets = 0;
    int64_t parameters = 0;
    // The model step alone: each rank's one fixed batch, forward, backward with the
    // all-reduce, Adam; no data made and nothing read back (what a PyTorch DDP script
    // that trains on one batch times: tests/bench/ddp_reference.py).
    double modelImagesPerSec = 0;
    double modelMsPerStep = 0;
    std::string encoder; // EncoderImpl::describe
};

// Trains o.task on procedural demo images at o.sizePx for o.warmupSteps + o.steps steps
// of o.batchSize samples per process, in this process (`comm` null) or as one rank of
// `comm`'s run, and times the last o.steps; then as many model steps on one batch.
DataParallelFigures measureDataParallel(const BenchOptions& o, std::shared_ptr<Communicator> comm);

// As JSON (one line), for the launcher that reads rank 0's figures, and back.
std::string dataParallelJson(const DataParallelFigures& f);
DataParallelFigures parseDataParallelJson(const std::string& json);

} // namespace pretext
