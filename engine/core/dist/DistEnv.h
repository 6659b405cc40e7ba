#pragma once
// Where a process stands in a data-parallel run: its rank, the world size and the
// rendezvous address, from the variables torchrun, SLURM wrappers and Kubernetes
// operators set (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR,
// MASTER_PORT). No torch here: the session layer reads it too.
#include <functional>
#include <optional>
#include <string>

namespace pretext {

struct DistSettings {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    int localWorldSize = 1; // ranks on this machine (cores are shared among them)
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    std::string backend = "auto"; // auto | gloo | nccl
    int timeoutS = 120;           // a collective or the rendezvous that waits longer fails
    bool distributed() const { return worldSize > 1; }
};

// Reads the variables through `lookup` (getenv's contract: null when unset). Returns
// nothing when WORLD_SIZE is unset (one process); throws std::invalid_argument naming
// the variable for a value that does not parse or does not fit (RANK >= WORLD_SIZE,
// a port outside 1..65535, MASTER_ADDR missing for a world of several machines).
std::optional<DistSettings>
distFromEnvironment(const std::function<const char*(const char*)>& lookup);
// The same on this process's environment.
std::optional<DistSettings> distFromEnvironment();

// "rank 1 of 2 (gloo, rendezvous 127.0.0.1:29500)", for logs.
std::string describeDist(const DistSettings& settings, const std::string& backend);

} // namespace pretext
