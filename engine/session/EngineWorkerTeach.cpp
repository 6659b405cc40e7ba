// The engine worker's side of the teaching views: gradient inspections now and then
// while training runs, at every step in step mode, and again when the sample changes.
#include "EngineWorker.h"
#include "EngineWorkerImpl.h"

#include "Errors.h"
#include "InspectView.h"

#include <torch/torch.h>

namespace pretext {

void EngineWorker::prepareInspection(bool stepMode) {
    if (!d->inspecting || !d->session) {
        return;
    }
    if (stepMode || !d->sinceInspection.isValid() ||
        d->sinceInspection.elapsed() >= kSnapshotIntervalMs) {
        d->session->trainer().inspectNextStep(d->inspectSample);
    }
}

void EngineWorker::emitInspection() {
    if (!d->session) {
        return;
    }
    if (auto in = d->session->trainer().takeInspection()) {
        Q_EMIT inspectionReady(toInspectionView(*in));
        d->sinceInspection.start();
    }
}

void EngineWorker::setInspecting(bool on, int sample) {
    const bool sampleChanged = sample != d->inspectSample;
    d->inspecting = on;
    d->inspectSample = std::max(0, sample);
    if (!on || !d->session || d->state != EngineState::Paused || !sampleChanged) {
        return;
    }
    // Paused: the last batch again, for the sample asked for (the model as it is now,
    // after that batch's update).
    Trainer& t = d->session->trainer();
    if (!t.lastBatch().input.defined()) {
        return;
    }
    try {
        GradientInspection in =
            inspectBatch(t.task(), t.model(), t.lastBatch(), t.config().params, sample);
        in.step = t.stepCount();
        Q_EMIT inspectionReady(toInspectionView(in));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("The gradient could not be inspected: %1")
                                 .arg(QString::fromStdString(describeError(e))));
    }
}

} // namespace pretext
