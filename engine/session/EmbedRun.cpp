#include "EmbedRun.h"

#include "EmbedFeatures.h"
#include "Fail.h"

#include "HeldOutImages.h"
#include "RunModel.h"
#include "TensorImage.h"

#include "Embedding.h"
#include "Knn.h"
#include "Probe.h"
#include "Trainer.h"
#include "Tsne.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

namespace {
struct EmbedRunTr {
    Q_DECLARE_TR_FUNCTIONS(EmbedRun)
};
} // namespace

namespace {

std::vector<torch::Tensor> unit(const std::vector<torch::Tensor>& features) {
    namespace F = torch::nn::functional;
    std::vector<torch::Tensor> out;
    for (const auto& f : features) {
        out.push_back(F::normalize(f.to(torch::kFloat), F::NormalizeFuncOptions().p(2).dim(1)));
    }
    return out;
}

} // namespace

EmbedMap embedRun(const EmbedRequest& q, const EmbedMap* previous) {
    if (q.method != QLatin1String("tsne") && q.method != QLatin1String("pca")) {
        fail(EmbedRunTr::tr("unknown map method '%1' (tsne or pca)").arg(q.method));
    }
    if (q.colourBy != QLatin1String("brightness") && q.colourBy != QLatin1String("saturation")) {
        fail(EmbedRunTr::tr("unknown colouring '%1' (brightness or saturation)").arg(q.colourBy));
    }
    QElapsedTimer clock;
    clock.start();
    RunModel run = openRunModel(q.runDir);
    q.cancel.throwIfCancelled();
    const torch::Device device = resolveDevice(q.device.toStdString());
    auto features = std::make_shared<EmbedFeatures>();
    features->images = q.images;
    features->count = q.count;
    features->seed = q.seed;

    EmbedMap map;
    map.run = QDir::toNativeSeparators(q.runDir);
    map.task = run.config.settings.task;
    map.step = run.step;
    map.sizePx = run.sizePx;
    const EmbedFeatures* reuse = previous != nullptr ? previous->features.get() : nullptr;
    if (reuse != nullptr && reuse->images == q.images && reuse->count == q.count &&
        reuse->seed == q.seed && previous->sizePx == run.sizePx) {
        features->pixels = reuse->pixels;
        features->labels = reuse->labels;
        map.names = previous->names;
        map.thumbnails = previous->thumbnails;
        map.classes = previous->classes;
        map.labels = previous->labels;
        map.values = previous->values;
        map.source = previous->source;
    } else {
        reuse = nullptr;
        HeldOutImages images = readHeldOutImages(q.images, q.count, q.seed, run.sizePx);
        features->pixels = images.pixels;
        features->labels = images.labels;
        map.names = images.names;
        map.classes = images.classes;
        map.skipped = images.skipped;
        map.source = images.source;
        const int64_t n = images.pixels.size(0);
        for (int64_t i = 0; i < n; ++i) {
            map.thumbnails << toQImage(images.pixels[i]);
        }
        if (images.labels.defined()) {
            const auto l = images.labels.contiguous();
            for (int64_t i = 0; i < n; ++i) {
                map.labels << static_cast<int>(l.data_ptr<int64_t>()[i]);
            }
        } else {
            const auto px = images.pixels;
            const auto v = q.colourBy == QLatin1String("brightness")
                               ? px.mean({1, 2, 3})
                               : (std::get<0>(px.max(1)) - std::get<0>(px.min(1))).mean({1, 2});
            const auto c = v.to(torch::kDouble).contiguous();
            for (int64_t i = 0; i < n; ++i) {
                map.values << c.data_ptr<double>()[i];
            }
        }
    }
    map.colourBy = map.labelled() ? QString() : q.colourBy;
    q.cancel.throwIfCancelled();

    const auto randomModel = randomInitModel(*run.task, run.params, q.seed);
    run.model->to(device);
    randomModel->to(device);
    features->trained = encoderFeatures(*run.model, *run.task, run.params, features->pixels,
                                        run.sizePx, device, 256, q.cancel);
    features->unitTrained = unit(features->trained);
    features->unitRandom = unit(encoderFeatures(
        *randomModel, *run.task, run.params, features->pixels, run.sizePx, device, 256, q.cancel));
    map.stages = static_cast<int>(features->trained.size());
    for (const auto& f : features->trained) {
        map.dims << static_cast<int>(f.size(1));
    }
    if (q.stage < 0 || q.stage > map.stages) {
        fail(EmbedRunTr::tr("stage %1: the encoder has stages 1 to %2")
                 .arg(q.stage)
                 .arg(map.stages));
    }
    map.stage = q.stage == 0 ? map.stages : q.stage;
    map.featureSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    const auto& chosen = features->unitTrained[static_cast<size_t>(map.stage - 1)];
    if (features->labels.defined()) {
        map.silhouette = silhouette(chosen, features->labels);
        map.randomSilhouette =
            silhouette(features->unitRandom[static_cast<size_t>(map.stage - 1)], features->labels);
    }

    clock.restart();
    torch::Tensor points;
    const bool continuing = reuse != nullptr && previous->methodKey == q.method &&
                            previous->points.size() == map.names.size();
    torch::Tensor before;
    if (continuing) {
        before = torch::empty({static_cast<int64_t>(previous->points.size()), 2}, torch::kFloat);
        for (int i = 0; i < previous->points.size(); ++i) {
            before[i][0] = previous->points[i].x();
            before[i][1] = previous->points[i].y();
        }
    }
    map.methodKey = q.method;
    if (q.method == QLatin1String("pca")) {
        const PcaResult r = pca(chosen, 2);
        points = r.points;
        map.method =
            EmbedRunTr::tr("PCA (%1% of the variance)").arg(100.0 * r.explained, 0, 'f', 0);
    } else {
        TsneOptions o;
        o.perplexity = q.perplexity;
        o.cancel = q.cancel;
        points = tsne(chosen, o, continuing ? before : torch::Tensor());
        map.method = EmbedRunTr::tr("t-SNE (perplexity %1)").arg(q.perplexity);
    }
    if (continuing) {
        points = alignTo(points, before);
    }
    const auto p = points.to(torch::kDouble).contiguous();
    for (int64_t i = 0; i < p.size(0); ++i) {
        map.points << QPointF(p[i][0].item<double>(), p[i][1].item<double>());
    }
    map.mapSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    map.features = features;
    return map;
}

QVector<Neighbour> embedNeighbours(const EmbedMap& map, int index, int stage, bool randomInit,
                                   int k) {
    QVector<Neighbour> out;
    if (!map.features || index < 0 || index >= map.names.size() || stage < 1 ||
        stage > map.stages) {
        return out;
    }
    const auto& bank = (randomInit ? map.features->unitRandom
                                   : map.features->unitTrained)[static_cast<size_t>(stage - 1)];
    const auto [idx, sim] = nearestNeighbours(bank, bank[index], k, index);
    for (int64_t i = 0; i < idx.size(0); ++i) {
        out.push_back({static_cast<int>(idx[i].item<int64_t>()), sim[i].item<double>()});
    }
    return out;
}

} // namespace pretext
