#include "DiagnosticWorker.h"

#include "DataSource.h"
#include "EngineWorker.h"
#include "Errors.h"
#include "Presets.h"
#include "ProbeRun.h"
#include "RunFolder.h"
#include "TrainingSession.h"
#include "tasks/Registry.h"

#include <QJsonArray>
#include <QThread>

#include <vector>

namespace pretext {

struct DiagnosticWorker::Impl {
    std::unique_ptr<LoadedData> data;
    std::unique_ptr<LoadedData> given; // useLoadedData

    std::vector<std::unique_ptr<TrainingSession>> sessions;
    QStringList runDirs;
    bool probe = false;
    int probeTrain = 2000;
    int probeTest = 1000;
};

DiagnosticWorker::DiagnosticWorker(QObject* parent) : QObject(parent), d(std::make_unique<Impl>()) {
    registerEngineTypes();
}

DiagnosticWorker::~DiagnosticWorker() = default;

void DiagnosticWorker::requestStop() {
    m_stop = true;
    m_cancel.cancel(); // a probe in progress unwinds too
}

void DiagnosticWorker::useLoadedData(std::unique_ptr<LoadedData> loaded) {
    d->given = std::move(loaded);
}

namespace {
// The data a diagnostic trains on: its own, or the description given at its size.
QJsonObject diagnosticData(const RunConfig& variant, const QJsonObject& given, bool video) {
    if (given.isEmpty()) {
        return variant.data;
    }
    QJsonObject d = given;
    d.insert(QStringLiteral("size_px"), variant.data.value(QStringLiteral("size_px")).toInt(32));
    const QString source = d.value(QStringLiteral("source")).toString();
    if (video && source != QLatin1String("videos") && source != QLatin1String("demo")) {
        throw std::runtime_error(
            DiagnosticWorker::tr("%1 trains on frames of a video, and the data loaded are "
                                 "still images; load a video or train on the demo set")
                .arg(variant.settings.task)
                .toStdString());
    }
    if (source != QLatin1String("demo")) {
        d.remove(QStringLiteral("count")); // at another size another number may fit the budget
    }
    return d;
}
} // namespace

void DiagnosticWorker::run(const QString& id, qint64 steps, const QString& workspace, bool probe,
                           int probeTrain, int probeTest, const QJsonObject& data) {
    if (!d->sessions.empty()) {
        Q_EMIT errorOccurred(tr("A diagnostic is already running; stop it first."));
        return;
    }
    const ShortcutDiagnostic* diagnostic = findDiagnostic(id);
    if (diagnostic == nullptr || diagnostic->variants.isEmpty()) {
        Q_EMIT errorOccurred(tr("There is no diagnostic '%1'.").arg(id));
        return;
    }
    m_stop = false;
    m_cancel = CancelToken(); // a fresh token: the last run's may be cancelled
    d->probe = probe;
    d->probeTrain = probeTrain;
    d->probeTest = probeTest;
    d->runDirs.clear();
    try {
        const RunConfig& first = diagnostic->variants.front();
        const auto task = makeTask(first.settings.task.toStdString());
        const bool video = task && task->info().video;
        const QJsonObject wanted = diagnosticData(first, data, video);
        std::unique_ptr<LoadedData> given = std::move(d->given);
        if (given && !data.isEmpty() && given->description == data &&
            given->description.value(QStringLiteral("size_px")) ==
                wanted.value(QStringLiteral("size_px"))) {
            d->data = std::move(given); // loaded already, at this size
        } else {
            d->data = std::make_unique<LoadedData>(loadDescribedData(wanted, video));
        }
        for (int i = 0; i < diagnostic->variants.size(); ++i) {
            SessionOptions options;
            options.settings = diagnostic->variants[i].settings;
            options.settings.maxSteps = steps;
            // <time>-<id>-<variant>, with -2, -3... when that is taken (two runs in a second).
            options.settings.runDir =
                RunFolder::newRunPath(workspace, QStringLiteral("%1-%2").arg(id).arg(i + 1));
            d->sessions.push_back(std::make_unique<TrainingSession>(options, *d->data));
            d->runDirs << d->sessions.back()->runDir();
        }
    } catch (const std::exception& e) {
        d->sessions.clear();
        Q_EMIT errorOccurred(
            tr("The diagnostic could not start: %1").arg(QString::fromStdString(describeError(e))));
        Q_EMIT finished(QStringLiteral("error"));
        return;
    }
    Q_EMIT started(diagnostic->labels, d->runDirs);
    QMetaObject::invokeMethod(this, &DiagnosticWorker::turn, Qt::QueuedConnection);
}

// One step of every variant per event-loop turn: they advance together, and a stop is
// seen between two turns.
void DiagnosticWorker::turn() {
    if (d->sessions.empty()) {
        return;
    }
    if (m_stop || QThread::currentThread()->isInterruptionRequested()) {
        end(QStringLiteral("stopped"));
        return;
    }
    bool more = false;
    try {
        for (size_t i = 0; i < d->sessions.size(); ++i) {
            TrainingSession& s = *d->sessions[i];
            if (!s.reachedMaxSteps()) {
                Q_EMIT progress(static_cast<int>(i), s.step());
                more = more || !s.reachedMaxSteps();
            }
        }
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(
            tr("The diagnostic stopped: %1").arg(QString::fromStdString(describeError(e))));
        end(QStringLiteral("error"));
        return;
    }
    if (more) {
        QMetaObject::invokeMethod(this, &DiagnosticWorker::turn, Qt::QueuedConnection);
        return;
    }
    end(QStringLiteral("finished"));
}

void DiagnosticWorker::end(const QString& reason) {
    QString final = reason;
    try {
        for (auto& s : d->sessions) {
            s->finish();
        }
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("The runs' final files could not be written: %1")
                                 .arg(QString::fromStdString(describeError(e))));
        final = QStringLiteral("error");
    }
    d->sessions.clear();
    d->data.reset();
    if (final == QLatin1String("finished") && d->probe) {
        probeAll();
    }
    Q_EMIT finished(m_stop ? QStringLiteral("stopped") : final);
}

void DiagnosticWorker::probeAll() {
    for (int i = 0; i < d->runDirs.size() && !m_stop; ++i) {
        Q_EMIT probeStarted(i);
        try {
            ProbeRequest request;
            request.runDir = d->runDirs[i];
            request.trainSize = d->probeTrain;
            request.testSize = d->probeTest;
            request.cancel = m_cancel;
            const QJsonObject r = probeRun(request);
            const int best = r.value(QStringLiteral("best_stage")).toInt(1) - 1;
            const double accuracy = r.value(QStringLiteral("stages"))
                                        .toArray()
                                        .at(best)
                                        .toObject()
                                        .value(QStringLiteral("accuracy"))
                                        .toDouble();
            const double random = r.value(QStringLiteral("random_weights"))
                                      .toArray()
                                      .at(best)
                                      .toObject()
                                      .value(QStringLiteral("accuracy"))
                                      .toDouble();
            Q_EMIT probed(i, accuracy, random, r.value(QStringLiteral("chance")).toDouble());
        } catch (const Cancelled&) {
            return; // stopped: finished("stopped") follows
        } catch (const std::exception& e) {
            Q_EMIT errorOccurred(tr("The probe of %1 failed: %2")
                                     .arg(d->runDirs[i], QString::fromStdString(describeError(e))));
            return;
        }
    }
}

} // namespace pretext
