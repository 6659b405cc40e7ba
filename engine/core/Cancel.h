#pragma once
// Cooperative cancellation: the thread that wants work to stop calls cancel(); the
// thread doing it calls throwIfCancelled() at its own boundaries (a chunk of features, an
// iteration of a solver), which unwinds the work with Cancelled. Copies share one flag.
// Plain C++: the UI holds one too.
#include <atomic>
#include <memory>
#include <stdexcept>

namespace pretext {

class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

class CancelToken {
public:
    void cancel() const { m_flag->store(true); }
    bool cancelled() const { return m_flag->load(); }
    void throwIfCancelled() const {
        if (cancelled()) {
            throw Cancelled();
        }
    }

private:
    std::shared_ptr<std::atomic<bool>> m_flag = std::make_shared<std::atomic<bool>>(false);
};

} // namespace pretext
