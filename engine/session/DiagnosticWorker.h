#pragma once
// Shortcut diagnostics: the variants of one diagnostic (Presets.h), trained side by
// side in one thread of their own, one step of each in turn, each into its own run
// folder; then, if asked, the linear probe of each. Move it to a QThread; call run()
// through a queued connection; requestStop() may be called from any thread. No torch
// types here: the UI includes this.
#include "Cancel.h"
#include "SessionTypes.h"

#include <QJsonObject>
#include <QObject>
#include <atomic>
#include <memory>

namespace pretext {

struct LoadedData;

class DiagnosticWorker : public QObject {
    Q_OBJECT
public:
    explicit DiagnosticWorker(QObject* parent = nullptr);
    ~DiagnosticWorker() override;
    // Thread-safe: seen between two steps (a probe in progress finishes first).
    void requestStop();
    // Data already loaded at the diagnostic's size (the headless command loads them to
    // report what it found): the next run() whose `data` is their description trains on
    // them instead of loading them again. Call before run(), from the worker's thread.
    void useLoadedData(std::unique_ptr<LoadedData> loaded);

public Q_SLOTS:
    // Trains every variant of the diagnostic `id` for `steps` steps at the diagnostic's
    // size, into new run folders under `workspace`; with `probe`, then probes each
    // encoder on Fashion-MNIST (`probeTrain`/`probeTest` images). The data: the
    // diagnostic's own (the demo set) when `data` is empty, else the data it describes
    // (LoadedData::description, e.g. the photographs loaded in the window), loaded again
    // at the diagnostic's size.
    void run(const QString& id, qint64 steps, const QString& workspace, bool probe,
             int probeTrain = 2000, int probeTest = 1000, const QJsonObject& data = {});

Q_SIGNALS:
    void started(const QStringList& labels, const QStringList& runDirs);
    void progress(int variant, const pretext::TrainProgress& progress);
    // The probe's test accuracy for the variant's encoder, the same probe on a randomly
    // initialised encoder, and chance.
    void probed(int variant, double accuracy, double randomAccuracy, double chance);
    void probeStarted(int variant);
    // "finished", "stopped" or "error".
    void finished(const QString& reason);
    void errorOccurred(const QString& message);

private:
    void turn();
    void probeAll();
    void end(const QString& reason);

    struct Impl;
    std::unique_ptr<Impl> d;
    std::atomic<bool> m_stop{false};
    CancelToken m_cancel; // requestStop() cancels a probe in progress
};

} // namespace pretext
