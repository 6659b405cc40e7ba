#pragma once
// How the session's jobs (export, embedding, saliency, held-out images) stop with a
// message for a person: a std::runtime_error carrying the translated text, which the
// command line prints and the window shows.
#include <QString>

#include <stdexcept>

namespace pretext {

[[noreturn]] inline void fail(const QString& message) {
    throw std::runtime_error(message.toStdString());
}

} // namespace pretext
