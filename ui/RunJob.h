#pragma once
// One computation at a time on a thread of its own, at low priority, for the views that
// judge a run from its folder (the embedding map, saliency, the shortcut diagnostics'
// saliency): started on demand, or asked for again when a checkpoint is written — a
// request that arrives while one runs is kept and started after it. The destructor
// cancels the one running and waits for it.
#include "Cancel.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <exception>
#include <functional>
#include <memory>
#include <utility>

class RunJob : public QObject {
    Q_OBJECT
public:
    explicit RunJob(const QString& name, QObject* parent = nullptr)
        : QObject(parent), m_name(name) {}
    ~RunJob() override {
        if (m_thread != nullptr) {
            m_cancel.cancel();
            m_thread->wait();
            delete m_thread;
        }
    }
    bool busy() const { return m_thread != nullptr; }

    // Runs `work(cancel)` on the thread, then `done(result, error)` here (error: the
    // exception's message, empty on success). False, and nothing started, when busy.
    template <class Result>
    bool run(std::function<Result(const pretext::CancelToken&)> work,
             std::function<void(const Result&, const QString&)> done) {
        if (m_thread != nullptr) {
            return false;
        }
        m_cancel = pretext::CancelToken();
        auto outcome = std::make_shared<std::pair<Result, QString>>();
        m_thread = QThread::create([work = std::move(work), cancel = m_cancel, outcome] {
            try {
                outcome->first = work(cancel);
            } catch (const std::exception& e) {
                outcome->second = QString::fromUtf8(e.what());
            }
        });
        m_thread->setObjectName(m_name);
        connect(m_thread, &QThread::finished, this, [this, outcome, done = std::move(done)] {
            m_thread->deleteLater();
            m_thread = nullptr;
            done(outcome->first, outcome->second);
            if (m_pending) {
                m_pending = false;
                m_again();
            }
        });
        m_thread->start(QThread::LowPriority);
        return true;
    }

    // `start` now, or once the job running has finished (the latest request wins).
    void request(std::function<void()> start) {
        m_again = std::move(start);
        if (m_thread != nullptr) {
            m_pending = true;
            return;
        }
        m_again();
    }

private:
    QString m_name;
    QThread* m_thread = nullptr;
    pretext::CancelToken m_cancel;
    bool m_pending = false;
    std::function<void()> m_again;
};
