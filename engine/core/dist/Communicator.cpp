// c10d underneath the Communicator: TCPStore, ProcessGroupGloo (and ProcessGroupNCCL in
// a LibTorch built with it). Only this file sees c10d's headers.
#include "Communicator.h"

#if PRETEXT_HAVE_GLOO
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO // Debian's LibTorch is built with Gloo; its headers come from libgloo-dev
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if PRETEXT_HAVE_NCCL
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace pretext {

namespace {

std::string errorText(const std::exception& e) {
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) {
        return c10->what_without_backtrace();
    }
    return e.what();
}

std::vector<uint8_t> bytesOf(const std::string& text) {
    return std::vector<uint8_t>(text.begin(), text.end());
}

bool isLoopback(const std::string& host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

class Reduce : public PendingReduce {
public:
    Reduce(c10::intrusive_ptr<c10d::Work> work, Communicator* owner)
        : m_work(std::move(work)), m_owner(owner) {}
    void wait() override {
        try {
            m_work->wait();
        } catch (const std::exception& e) {
            m_owner->failed("an all-reduce", e);
        }
    }

private:
    c10::intrusive_ptr<c10d::Work> m_work;
    Communicator* m_owner;
};

class C10dCommunicator : public Communicator {
public:
    C10dCommunicator(DistSettings settings, std::string backend,
                     c10::intrusive_ptr<c10d::Store> store,
                     c10::intrusive_ptr<c10d::ProcessGroup> group)
        : Communicator(std::move(settings), std::move(backend)), m_store(std::move(store)),
          m_group(std::move(group)) {}

    std::unique_ptr<PendingReduce> allreduceSumAsync(torch::Tensor tensor) override {
        std::vector<torch::Tensor> tensors{std::move(tensor)};
        try {
            return std::make_unique<Reduce>(m_group->allreduce(tensors), this);
        } catch (const std::exception& e) {
            failed("an all-reduce", e);
        }
    }

protected:
    void broadcastFlat(torch::Tensor& flat) override {
        std::vector<torch::Tensor> tensors{flat};
        try {
            m_group->broadcast(tensors)->wait();
        } catch (const std::exception& e) {
            failed("a broadcast from rank 0", e);
        }
    }
    void storeSet(const std::string& key, const std::string& value) override {
        m_store->set(key, bytesOf(value));
    }
    bool storeCheck(const std::string& key) override { return m_store->check({key}); }
    std::string storeGet(const std::string& key) override {
        const auto bytes = m_store->get(key);
        return std::string(bytes.begin(), bytes.end());
    }

private:
    c10::intrusive_ptr<c10d::Store> m_store;
    c10::intrusive_ptr<c10d::ProcessGroup> m_group;
};

#if PRETEXT_HAVE_GLOO
std::shared_ptr<::gloo::transport::Device> glooDevice(const DistSettings& s) {
    if (const char* name = std::getenv("GLOO_SOCKET_IFNAME"); name != nullptr && *name != '\0') {
        return c10d::ProcessGroupGloo::createDeviceForInterface(name);
    }
    // One machine: loopback, whatever the host name resolves to (containers often
    // resolve it to an address no other process listens on).
    if (isLoopback(s.masterAddr)) {
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    }
    return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

} // namespace

std::shared_ptr<Communicator> Communicator::join(const DistSettings& s,
                                                 const torch::Device& device) {
    std::string backend = s.backend;
    if (backend == "auto" || backend.empty()) {
        backend = device.is_cuda() && PRETEXT_HAVE_NCCL ? "nccl" : "gloo";
    }
    if (backend != "gloo" && backend != "nccl") {
        throw DistError("unknown distributed backend '" + s.backend + "' (auto, gloo or nccl)");
    }
    if (backend == "gloo" && !PRETEXT_HAVE_GLOO) {
        throw DistError("this build has no Gloo (its headers were missing when it was "
                        "configured): install libgloo-dev and configure again");
    }
    if (backend == "nccl" && !PRETEXT_HAVE_NCCL) {
        throw DistError("the NCCL backend was asked for, but this build has no NCCL (Debian's "
                        "LibTorch is CPU-only): use --dist-backend gloo, or build against a "
                        "CUDA LibTorch (docs/gpu.md)");
    }
    if (backend == "nccl" && !device.is_cuda()) {
        throw DistError("the NCCL backend reduces CUDA tensors, and this run trains on " +
                        device.str() + ": use --dist-backend gloo");
    }
    const auto timeout = std::chrono::milliseconds(std::chrono::seconds(s.timeoutS));
    c10::intrusive_ptr<c10d::Store> store;
    try {
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(s.masterPort);
        options.isServer = s.rank == 0;
        options.numWorkers = static_cast<std::size_t>(s.worldSize);
        options.waitWorkers = true;
        options.timeout = timeout;
        store = c10::make_intrusive<c10d::TCPStore>(s.masterAddr, options);
    } catch (const std::exception& e) {
        std::ostringstream m;
        m << "rank " << s.rank << " could not join the run at " << s.masterAddr << ":"
          << s.masterPort << " within " << s.timeoutS << " s: " << errorText(e);
        m << (s.rank == 0 ? " (is the port in use? set MASTER_PORT to a free one; and did every "
                            "rank start?)"
                          : " (is rank 0 running, and MASTER_ADDR and MASTER_PORT the same "
                            "for every rank?)");
        throw DistError(m.str());
    }
    c10::intrusive_ptr<c10d::ProcessGroup> group;
    try {
        if (backend == "gloo") {
#if PRETEXT_HAVE_GLOO
            auto options = c10d::ProcessGroupGloo::Options::create(timeout);
            options->devices.push_back(glooDevice(s));
            options->threads = 2; // Gloo's own workers; the buckets of one step overlap
            group =
                c10::make_intrusive<c10d::ProcessGroupGloo>(store, s.rank, s.worldSize, options);
#endif
        } else {
#if PRETEXT_HAVE_NCCL
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeout;
            group =
                c10::make_intrusive<c10d::ProcessGroupNCCL>(store, s.rank, s.worldSize, options);
#endif
        }
    } catch (const std::exception& e) {
        throw DistError("rank " + std::to_string(s.rank) + " could not set up the " + backend +
                        " process group: " + errorText(e));
    }
    return std::make_shared<C10dCommunicator>(s, backend, store, group);
}

void Communicator::settle(const std::string& phase, const std::string& error) {
    const std::string prefix = "pretext/settle/" + std::to_string(m_settled++) + "/";
    try {
        storeSet(prefix + std::to_string(rank()), error.empty() ? "ok" : "error:" + error);
    } catch (const std::exception& e) {
        failed(phase, e);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout();
    std::ostringstream problems;
    for (int r = 0; r < worldSize(); ++r) {
        const std::string key = prefix + std::to_string(r);
        std::string value;
        try {
            while (!storeCheck(key)) {
                if (std::chrono::steady_clock::now() > deadline) {
                    problems << "rank " << r << " did not get through " << phase << " within "
                             << m_settings.timeoutS << " s (its process died or hangs); ";
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            if (storeCheck(key)) {
                value = storeGet(key);
            }
        } catch (const std::exception& e) {
            failed(phase, e);
        }
        if (value.rfind("error:", 0) == 0 && r != rank()) {
            problems << "rank " << r << ": " << value.substr(6) << "; ";
        }
    }
    // Rank 0 hosts the store: it stays until every rank has read what was posted, so that
    // none of them finds the store gone instead of the reason to stop.
    try {
        if (rank() != 0) {
            storeSet(prefix + "read/" + std::to_string(rank()), "ok");
        } else {
            for (int r = 1; r < worldSize(); ++r) {
                while (!storeCheck(prefix + "read/" + std::to_string(r)) &&
                       std::chrono::steady_clock::now() < deadline) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
            }
        }
    } catch (const std::exception& e) {
        failed(phase, e);
    }
    std::string text = problems.str();
    if (!error.empty()) {
        throw DistError(error); // this rank's own, as it would say it alone
    }
    if (!text.empty()) {
        text.resize(text.size() - 2);
        throw DistError("the distributed run stopped during " + phase + ": " + text);
    }
}

void Communicator::checkSameConfig(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::ostringstream mine;
    for (const auto& [name, value] : fields) {
        mine << name << '\n' << value << '\n';
    }
    const std::string key = "pretext/config/" + std::to_string(m_settled);
    std::string mismatch;
    try {
        if (rank() == 0) {
            storeSet(key, mine.str());
        } else {
            const auto deadline = std::chrono::steady_clock::now() + timeout();
            while (!storeCheck(key) && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            std::istringstream theirs(storeGet(key));
            std::string name, value;
            for (const auto& [myName, myValue] : fields) {
                if (!std::getline(theirs, name) || !std::getline(theirs, value)) {
                    name.clear();
                    value.clear();
                }
                if (name != myName || value != myValue) {
                    mismatch = "rank " + std::to_string(rank()) +
                               "'s configuration differs from rank 0's: its " + myName + " is '" +
                               myValue + "', rank 0's is '" + value +
                               "' (every rank must be started with the same settings)";
                    break;
                }
            }
        }
    } catch (const std::exception& e) {
        failed("the configuration check", e);
    }
    settle("the configuration check", mismatch);
}

void Communicator::announceFailure(const std::string& message) noexcept {
    try {
        storeSet("pretext/error/" + std::to_string(rank()), message);
    } catch (...) {
        // The store is gone (rank 0 stopped): nobody is left to tell.
    }
}

void Communicator::broadcast(std::vector<torch::Tensor> tensors) {
    // Grouped by dtype and device, each group flattened into one transfer.
    while (!tensors.empty()) {
        const auto options = tensors.front().options();
        std::vector<torch::Tensor> group, rest;
        for (auto& t : tensors) {
            (t.dtype() == options.dtype() && t.device() == options.device() ? group : rest)
                .push_back(t);
        }
        std::vector<torch::Tensor> flat;
        for (const auto& t : group) {
            flat.push_back(t.detach().reshape(-1));
        }
        torch::Tensor buffer = torch::cat(flat);
        broadcastFlat(buffer);
        int64_t offset = 0;
        torch::NoGradGuard noGrad;
        for (auto& t : group) {
            t.detach().copy_(buffer.narrow(0, offset, t.numel()).view_as(t));
            offset += t.numel();
        }
        tensors = std::move(rest);
    }
}

void Communicator::allreduceSum(torch::Tensor& tensor) {
    allreduceSumAsync(tensor)->wait();
}

void Communicator::failed(const std::string& during, const std::exception& cause) {
    const std::string why = errorText(cause);
    std::ostringstream m;
    m << "rank " << rank() << " of " << worldSize() << " stopped at step " << m_step << ": ";
    try {
        storeSet("pretext/lost/" + std::to_string(rank()), why);
    } catch (const std::exception&) {
        m << (rank() == 0 ? "the rendezvous store failed"
                          : "rank 0 (which hosts the rendezvous)"
                            " stopped answering")
          << " during " << during << " (" << why << ")";
        throw DistError(m.str());
    }
    // The others have a moment to say what happened to them; a rank that says nothing
    // died or hangs.
    const auto grace = std::chrono::seconds(std::clamp(m_settings.timeoutS / 4, 1, 5));
    const auto deadline = std::chrono::steady_clock::now() + grace;
    std::vector<std::string> named;
    for (int r = 0; r < worldSize(); ++r) {
        if (r == rank()) {
            continue;
        }
        const std::string error = "pretext/error/" + std::to_string(r);
        const std::string lost = "pretext/lost/" + std::to_string(r);
        try {
            while (!storeCheck(error) && !storeCheck(lost) &&
                   std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            if (storeCheck(error)) {
                named.push_back("rank " + std::to_string(r) + " failed: " + storeGet(error));
            } else if (!storeCheck(lost)) {
                named.push_back("rank " + std::to_string(r) +
                                " stopped answering (its process died or hangs)");
            }
        } catch (const std::exception&) {
            named.push_back("rank 0 (which hosts the rendezvous) stopped answering");
            break;
        }
    }
    if (named.empty()) {
        named.push_back("a rank stopped answering");
    }
    for (size_t i = 0; i < named.size(); ++i) {
        m << (i > 0 ? "; " : "") << named[i];
    }
    m << " (during " << during << ": " << why << ")";
    throw DistError(m.str());
}

} // namespace pretext
