#include "GradientSync.h"

#include <torch/torch.h>

#include <chrono>

namespace pretext {

GradientSync::GradientSync(torch::nn::Module& module, std::shared_ptr<Communicator> comm,
                           double bucketMb)
    : m_comm(std::move(comm)) {
    for (const auto& p : module.parameters()) {
        if (p.requires_grad()) {
            m_params.push_back(p);
        }
    }
    const auto cap = static_cast<int64_t>(bucketMb * 1024 * 1024);
    m_where.resize(m_params.size());
    std::vector<size_t> current;
    int64_t bytes = 0;
    auto close = [&]() {
        if (current.empty()) {
            return;
        }
        int64_t numel = 0;
        for (size_t i : current) {
            m_where[i] = {m_buckets.size(), numel};
            numel += m_params[i].numel();
        }
        Bucket b;
        b.flat = torch::zeros({numel}, m_params[current.front()].options().requires_grad(false));
        b.params = current;
        m_buckets.push_back(std::move(b));
        current.clear();
        bytes = 0;
    };
    // Reverse order: backward reaches the last layers first. A bucket holds one dtype.
    for (size_t k = m_params.size(); k-- > 0;) {
        const auto& p = m_params[k];
        const int64_t size = p.numel() * static_cast<int64_t>(p.element_size());
        if (!current.empty() &&
            (bytes + size > cap || p.dtype() != m_params[current.front()].dtype() ||
             p.device() != m_params[current.front()].device())) {
            close();
        }
        current.push_back(k);
        bytes += size;
    }
    close();
    for (size_t i = 0; i < m_params.size(); ++i) {
        m_hooks.push_back(m_params[i].register_hook(
            [this, i](const torch::Tensor& grad) { onGradient(i, grad); }));
    }
}

GradientSync::~GradientSync() {
    // The hooks hold `this`; a backward after the sync is gone must not reach it.
    for (size_t i = 0; i < m_params.size(); ++i) {
        m_params[i].remove_hook(m_hooks[i]);
    }
}

void GradientSync::begin(int microBatches) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (auto& b : m_buckets) {
        b.flat.zero_();
        b.sent = false;
        b.pending.reset();
    }
    m_passesLeft = std::max(1, microBatches);
    m_nextToSend = 0;
    m_figures = SyncFigures{};
}

void GradientSync::beforeBackward() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_active = true;
    --m_passesLeft;
    for (auto& b : m_buckets) {
        b.missing = static_cast<int>(b.params.size());
    }
}

void GradientSync::onGradient(size_t param, const torch::Tensor& grad) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_active) {
        return; // a backward pass outside a step (a view's own model, a route timing)
    }
    auto& [bucket, offset] = m_where[param];
    Bucket& b = m_buckets[bucket];
    {
        torch::NoGradGuard noGrad;
        b.flat.narrow(0, offset, grad.numel()).add_(grad.reshape(-1));
    }
    if (m_passesLeft == 0 && --b.missing == 0) {
        sendReady();
    }
}

void GradientSync::sendReady() {
    while (m_nextToSend < m_buckets.size() && m_buckets[m_nextToSend].missing == 0) {
        Bucket& b = m_buckets[m_nextToSend++];
        if (m_figures.buckets == 0) {
            m_firstSent = std::chrono::steady_clock::now();
        }
        b.pending = m_comm->allreduceSumAsync(b.flat);
        b.sent = true;
        m_figures.bytes += b.flat.numel() * static_cast<int64_t>(b.flat.element_size());
        ++m_figures.buckets;
    }
}

void GradientSync::finish() {
    const auto start = std::chrono::steady_clock::now();
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_active = false;
        // Parameters that got no gradient (unused this step) are zeros in their bucket.
        for (auto& b : m_buckets) {
            b.missing = 0;
        }
        sendReady();
    }
    for (auto& b : m_buckets) {
        b.pending->wait();
        b.pending.reset();
    }
    const auto end = std::chrono::steady_clock::now();
    m_figures.waitMs = std::chrono::duration<double, std::milli>(end - start).count();
    m_figures.spanMs = std::chrono::duration<double, std::milli>(end - m_firstSent).count();
    const double world = static_cast<double>(m_comm->worldSize());
    torch::NoGradGuard noGrad;
    for (auto& b : m_buckets) {
        b.flat.div_(world);
        for (size_t i : b.params) {
            torch::Tensor& p = m_params[i];
            const auto average = b.flat.narrow(0, m_where[i].second, p.numel()).view_as(p);
            if (p.grad().defined()) {
                p.mutable_grad().copy_(average);
            } else {
                p.mutable_grad() = average.clone();
            }
        }
    }
}

} // namespace pretext
