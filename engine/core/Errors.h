#pragma once
// Turns any exception into one line a person can read (c10::Error carries a
// backtrace in what(); that is for developers, not for a message box).
#include <c10/util/Exception.h>

#include <exception>
#include <string>

namespace pretext {

inline std::string describeError(const std::exception& e) {
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) {
        return c10->what_without_backtrace();
    }
    return e.what();
}

} // namespace pretext
