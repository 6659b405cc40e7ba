#include "SaliencyRun.h"

#include "Fail.h"
#include "HeldOutImages.h"
#include "RunModel.h"
#include "TensorImage.h"

#include "DemoVideo.h"
#include "Rng.h"
#include "Saliency.h"
#include "Trainer.h"
#include "Video.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace pretext {

namespace {
struct SaliencyRunTr {
    Q_DECLARE_TR_FUNCTIONS(SaliencyRun)
};

// A row of the model's input, (K,C,H,W), as one picture: the tiles in a square grid
// (jigsaw, in the order the model sees them) or the frames in a strip (temporal order),
// one pixel apart. `rgb` (K,3,H,W) in [0,1].
torch::Tensor compose(const torch::Tensor& rgb, bool grid) {
    const int64_t k = rgb.size(0);
    if (k == 1) {
        return rgb[0];
    }
    const int64_t h = rgb.size(2), w = rgb.size(3);
    const auto cols = grid ? static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(k)))) : k;
    const int64_t rowsOfTiles = (k + cols - 1) / cols;
    auto out = torch::ones({3, rowsOfTiles * (h + 1) - 1, cols * (w + 1) - 1});
    for (int64_t t = 0; t < k; ++t) {
        out.narrow(1, (t / cols) * (h + 1), h).narrow(2, (t % cols) * (w + 1), w).copy_(rgb[t]);
    }
    return out;
}

// What the model sees, shown: the first three channels (or the one, gray), each row
// stretched to [0,1]. (N,K,C,H,W) -> (N,K,3,H,W).
torch::Tensor visible(const torch::Tensor& tiles) {
    auto x = tiles.size(2) >= 3 ? tiles.narrow(2, 0, 3)
                                : tiles.narrow(2, 0, 1).expand({-1, -1, 3, -1, -1});
    x = x.to(torch::kFloat).to(torch::kCPU);
    const auto flat = x.flatten(1);
    const auto lo = std::get<0>(flat.min(1)).view({-1, 1, 1, 1, 1});
    const auto hi = std::get<0>(flat.max(1)).view({-1, 1, 1, 1, 1});
    return (x - lo) / (hi - lo).clamp_min(1e-6);
}

// A map (K,H,W) over its picture (K,3,H,W): the image in gray, the map's positive part in
// red to yellow, each map scaled to its own largest value.
torch::Tensor overlay(const torch::Tensor& rgb, const torch::Tensor& map) {
    const auto gray = rgb.mean(1, true).expand_as(rgb);
    const auto s = map.clamp_min(0) / map.clamp_min(0).max().clamp_min(1e-12); // (K,H,W)
    const auto heat =
        torch::stack({(2 * s).clamp_max(1), (2 * s - 1).clamp(0, 1), torch::zeros_like(s)},
                     1); // (K,3,H,W)
    const auto alpha = (0.25 + 0.65 * s).unsqueeze(1) * (s > 0.05).unsqueeze(1);
    return (gray * 0.8 * (1 - alpha) + heat * alpha).clamp(0, 1);
}

torch::Tensor asTiles(const torch::Tensor& input) {
    return input.dim() == 4 ? input.unsqueeze(1) : input;
}
} // namespace

SaliencyResult saliencyRun(const SaliencyRequest& q) {
    QElapsedTimer clock;
    clock.start();
    RunModel run = openRunModel(q.runDir);
    const Task& task = *run.task;
    const torch::Device device = resolveDevice(q.device.toStdString());
    const int count = std::max(1, q.count);

    // Samples: the task's own batch, made from held-out images (or demo clips).
    torch::Tensor images;
    QString source;
    if (task.info().video) {
        if (q.images != QLatin1String("demo")) {
            fail(SaliencyRunTr::tr("%1 trains on clips: its saliency is shown on the demo video "
                                   "(images 'demo'), not on '%2'")
                     .arg(QString::fromStdString(task.info().title), q.images));
        }
        const VideoFrames video = makeDemoVideo(1, 96, run.sizePx, q.seed + 1000);
        const WindowSpec spec = task.windows(run.params);
        const WindowPlan plan = planWindows(video, spec);
        images = readWindows(video, spreadStarts(plan, count), plan.length);
        source = SaliencyRunTr::tr("%1 clips of the demo video").arg(images.size(0));
    } else {
        const HeldOutImages held = readHeldOutImages(q.images, count, q.seed, run.sizePx);
        images = held.pixels;
        source = held.source;
    }
    if (!images.defined() || images.size(0) == 0) {
        fail(SaliencyRunTr::tr("%1: no sample could be made").arg(q.images));
    }
    q.cancel.throwIfCancelled();
    BatchContext context{run.params, makeGenerator(q.seed), {}, q.seed, nullptr};
    if (task.info().video) {
        context.channelMean = images.mean({0, 1, 3, 4});
    } else {
        context.channelMean = images.mean({0, 2, 3});
        context.stats = task.analyze(images);
    }
    const Batch batch = task.makeBatch(images.to(device), context);
    TaskModelImpl& model = *run.model;
    model.to(device);
    model.eval();
    const auto forward = [&model](const torch::Tensor& x) { return model.forward(x); };
    const auto objective = [&](const torch::Tensor& out) {
        return task.objective(out, batch, run.params);
    };
    const int64_t rows = std::min<int64_t>(count, batch.input.size(0));
    const torch::Tensor gradMap = gradientTimesInput(forward, objective, batch.input, rows);
    OcclusionOptions oo;
    // An eighth of an image, a quarter of a tile or frame of several.
    const int64_t side = batch.input.size(-1);
    const bool severalPerRow = batch.input.dim() == 5;
    oo.patch = q.patch > 0 ? q.patch : std::max<int64_t>(2, side / (severalPerRow ? 4 : 8));
    oo.stride = std::max<int64_t>(1, oo.patch / 2);
    oo.cancel = q.cancel;
    const torch::Tensor occMap = occlusionSaliency(forward, objective, batch.input, rows, oo);
    const torch::Tensor camMap = gradCam(model, objective, batch.input, rows);

    const auto tiles = asTiles(batch.input.detach()).narrow(0, 0, rows);
    const auto seen = visible(tiles); // (rows,K,3,H,W)
    const bool grid = !task.info().video;
    SaliencyResult r;
    r.run = QDir::toNativeSeparators(q.runDir);
    r.task = run.config.settings.task;
    r.step = run.step;
    r.grid.columnTitles = {SaliencyRunTr::tr("what the model sees"),
                           SaliencyRunTr::tr("gradient × input"), SaliencyRunTr::tr("occlusion")};
    if (camMap.defined()) {
        r.grid.columnTitles << SaliencyRunTr::tr("Grad-CAM (last stage)");
    }
    r.grid.step = run.step;
    for (int64_t i = 0; i < rows; ++i) {
        QList<QImage> row{toQImage(compose(seen[i], grid)),
                          toQImage(compose(overlay(seen[i], gradMap[i]), grid)),
                          toQImage(compose(overlay(seen[i], occMap[i]), grid))};
        if (camMap.defined()) {
            row << toQImage(compose(overlay(seen[i], camMap[i]), grid));
        }
        r.grid.rows.append(row);
    }
    r.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    r.note = SaliencyRunTr::tr("%1 at step %2 on %3; occluding squares of %4 px every %5 px set to "
                               "the image's mean; brighter = the loss rests more on those pixels")
                 .arg(r.task)
                 .arg(r.step)
                 .arg(source)
                 .arg(oo.patch)
                 .arg(oo.stride);
    r.grid.note = r.note;
    return r;
}

} // namespace pretext
