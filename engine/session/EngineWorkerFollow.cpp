// The engine worker's side of following a run written elsewhere: the latest checkpoint's
// reconstructions on the images loaded in the window, as the live panel shows a run's own.
#include "EngineWorker.h"
#include "EngineWorkerImpl.h"

#include "Errors.h"
#include "Rng.h"
#include "RunModel.h"
#include "TensorImage.h"

#include <QDir>
#include <torch/torch.h>

namespace pretext {

void EngineWorker::reconstructFromCheckpoint(const QString& runDir, int count) {
    if (!d->data || !d->data->images.defined() || d->data->images.size(0) == 0) {
        return; // nothing loaded here yet: the run's saved previews stand in
    }
    try {
        RunModel run = openRunModel(runDir);
        if (run.task->info().video) {
            return; // windows of a video are not cut here: the saved previews show them
        }
        const int64_t n = std::min<int64_t>(count, d->data->images.size(0));
        torch::Tensor x = d->data->images.narrow(0, 0, n);
        if (x.size(-1) != run.sizePx || x.size(-2) != run.sizePx) {
            x = torch::nn::functional::interpolate(
                x, torch::nn::functional::InterpolateFuncOptions()
                       .size(std::vector<int64_t>{run.sizePx, run.sizePx})
                       .mode(torch::kBilinear)
                       .align_corners(false));
        }
        // The held-out draws of a run of this seed: the same masks and puzzles each time.
        const uint64_t seed = run.config.settings.seed;
        BatchContext context{run.params, makeGenerator(seed ^ 0x5EEDF00DULL), x.mean({0, 2, 3}),
                             seed, nullptr};
        const Batch batch = run.task->makeBatch(x, context);
        torch::NoGradGuard noGrad;
        run.model->eval();
        const torch::Tensor output = run.model->forward(batch.input);
        ImageGrid grid = toImageGrid(run.task->resultColumns(batch, output, run.params), run.step);
        grid.note = tr("The checkpoint of step %1 of %2, on the first images loaded here")
                        .arg(run.step)
                        .arg(QDir(runDir).dirName());
        Q_EMIT snapshotReady(grid);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("The followed run's checkpoint could not be shown: %1")
                                 .arg(QString::fromStdString(describeError(e))));
    }
}

} // namespace pretext
