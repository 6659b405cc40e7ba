#pragma once
// The decode threads of the input pipeline (image files, video clips, the video index
// pass): a queue of jobs, a fixed number of worker threads, and waiting with a stall
// limit. A job that makes no progress for the limit (a decoder that hangs on a damaged
// file or a stalled network mount) is given up on: the waiter gets nothing, the stuck
// thread is left behind (it holds only the pool's shared state, never its owner) and a
// new thread takes its place, so the pool keeps its width. No Qt.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace pretext::io {

class DecodePool {
public:
    // threads <= 0: half the usable CPUs, at least 1.
    explicit DecodePool(int threads);
    // Drops the jobs not started and lets the threads go; a thread still inside a
    // stalled job finishes on its own.
    ~DecodePool();
    DecodePool(const DecodePool&) = delete;
    DecodePool& operator=(const DecodePool&) = delete;

    // Queues a job; its result (or exception) through the future.
    template <class T> std::shared_future<T> submit(std::function<T()> job) {
        auto task = std::make_shared<std::packaged_task<T()>>(std::move(job));
        std::shared_future<T> result = task->get_future().share();
        enqueue([task] { (*task)(); });
        return result;
    }

    // Waits for a job. Gives up (nullopt) when it has not finished after `stallSeconds`
    // during which `heartbeat` (if given: a counter the job advances as it makes
    // progress, so a long video is not a stall) did not move; then a new thread
    // replaces the stuck one. `waited` (if given) adds the seconds spent here; `tick`
    // (if given) is called on the waiting thread a few times a second (progress).
    template <class T>
    std::optional<T> await(std::shared_future<T>& f, double stallSeconds,
                           const std::atomic<int64_t>* heartbeat = nullptr,
                           double* waited = nullptr, const std::function<void()>& tick = {}) {
        const auto start = std::chrono::steady_clock::now();
        const bool done = waitFor(f, stallSeconds, heartbeat, tick);
        if (waited) {
            *waited +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        if (!done) {
            replaceStuckThread();
            return std::nullopt;
        }
        return f.get();
    }

    // Threads at work (those given up on as stuck not counted).
    int threads() const;
    // Threads given up on as stuck.
    int stalled() const;

private:
    struct State;
    void enqueue(std::function<void()> job);
    void replaceStuckThread();
    void startThread();
    template <class T>
    bool waitFor(std::shared_future<T>& f, double stallSeconds,
                 const std::atomic<int64_t>* heartbeat, const std::function<void()>& tick) {
        using namespace std::chrono;
        const auto limit = duration<double>(std::max(0.0, stallSeconds));
        auto quietSince = steady_clock::now();
        int64_t beat = heartbeat ? heartbeat->load() : 0;
        for (;;) {
            const auto slice = std::min<duration<double>>(duration<double>(0.1), limit);
            if (f.wait_for(slice) == std::future_status::ready) {
                return true;
            }
            if (tick) {
                tick();
            }
            const int64_t now = heartbeat ? heartbeat->load() : 0;
            if (now != beat) {
                beat = now;
                quietSince = steady_clock::now();
            } else if (steady_clock::now() - quietSince >= limit) {
                return false;
            }
        }
    }

    std::shared_ptr<State> m_state;
    std::vector<std::thread> m_threads;
    int m_stalled = 0;
};

} // namespace pretext::io
