#include "DistEnv.h"

#include <cstdlib>
#include <stdexcept>

namespace pretext {

namespace {
int intVariable(const std::function<const char*(const char*)>& lookup, const char* name,
                int fallback, int low, int high) {
    const char* text = lookup(name);
    if (text == nullptr || *text == '\0') {
        return fallback;
    }
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < low || value > high) {
        throw std::invalid_argument(std::string("the environment variable ") + name + "='" + text +
                                    "' is not a whole number from " + std::to_string(low) + " to " +
                                    std::to_string(high));
    }
    return static_cast<int>(value);
}
} // namespace

std::optional<DistSettings>
distFromEnvironment(const std::function<const char*(const char*)>& lookup) {
    const char* world = lookup("WORLD_SIZE");
    if (world == nullptr || *world == '\0') {
        return std::nullopt;
    }
    DistSettings s;
    s.worldSize = intVariable(lookup, "WORLD_SIZE", 1, 1, 1 << 20);
    const char* rank = lookup("RANK");
    if (s.worldSize > 1 && (rank == nullptr || *rank == '\0')) {
        throw std::invalid_argument("WORLD_SIZE is " + std::to_string(s.worldSize) +
                                    " but RANK is not set: each process needs its rank");
    }
    s.rank = intVariable(lookup, "RANK", 0, 0, s.worldSize - 1);
    s.localRank = intVariable(lookup, "LOCAL_RANK", s.rank, 0, s.worldSize - 1);
    s.localWorldSize = intVariable(lookup, "LOCAL_WORLD_SIZE", 1, 1, s.worldSize);
    s.masterPort = intVariable(lookup, "MASTER_PORT", s.masterPort, 1, 65535);
    if (const char* addr = lookup("MASTER_ADDR"); addr != nullptr && *addr != '\0') {
        s.masterAddr = addr;
    } else if (s.worldSize > s.localWorldSize) {
        throw std::invalid_argument("MASTER_ADDR is not set, and the world (" +
                                    std::to_string(s.worldSize) +
                                    " ranks) spans more than this machine: set it to the host "
                                    "of rank 0");
    }
    return s;
}

std::optional<DistSettings> distFromEnvironment() {
    return distFromEnvironment([](const char* name) { return std::getenv(name); });
}

std::string describeDist(const DistSettings& s, const std::string& backend) {
    return "rank " + std::to_string(s.rank) + " of " + std::to_string(s.worldSize) + " (" +
           backend + ", rendezvous " + s.masterAddr + ":" + std::to_string(s.masterPort) + ")";
}

} // namespace pretext
