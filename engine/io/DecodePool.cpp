#include "DecodePool.h"

#include "Threads.h"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace pretext::io {

// What the threads share; held by shared pointer so that a thread stuck in a job
// never outlives what it reads.
struct DecodePool::State {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::function<void()>> queue;
    bool stopping = false;

    void run() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock<std::mutex> lock(mutex);
                ready.wait(lock, [&] { return stopping || !queue.empty(); });
                if (stopping) {
                    return;
                }
                job = std::move(queue.front());
                queue.pop_front();
            }
            job();
        }
    }
};

DecodePool::DecodePool(int threads) : m_state(std::make_shared<State>()) {
    const int n = threads > 0 ? threads : std::max(1, usableCpus() / 2);
    for (int t = 0; t < n; ++t) {
        startThread();
    }
}

DecodePool::~DecodePool() {
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->stopping = true;
        m_state->queue.clear(); // their futures report a broken promise, if anyone waits
    }
    m_state->ready.notify_all();
    for (auto& t : m_threads) {
        t.detach();
    }
}

void DecodePool::enqueue(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->queue.push_back(std::move(job));
    }
    m_state->ready.notify_one();
}

void DecodePool::startThread() {
    m_threads.emplace_back([s = m_state] { s->run(); });
}

void DecodePool::replaceStuckThread() {
    ++m_stalled;
    startThread();
}

int DecodePool::threads() const {
    return static_cast<int>(m_threads.size()) - m_stalled;
}

int DecodePool::stalled() const {
    return m_stalled;
}

} // namespace pretext::io
