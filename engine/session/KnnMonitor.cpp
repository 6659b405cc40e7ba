#include "KnnMonitor.h"

#include "Labelled.h"
#include "Probe.h"

#include <QElapsedTimer>
#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

KnnMonitor::KnnMonitor(const KnnMonitorOptions& options) : m_options(options) {
    io::LabelledOptions o;
    o.maxTrain = options.bankSize;
    o.maxTest = options.querySize;
    o.seed = options.seed;
    o.sizePx = options.sizePx;
    const io::LabelledData data = io::loadLabelled(options.labels.toStdString(), o);
    if (data.train.images.size(0) == 0 || data.test.images.size(0) == 0) {
        throw std::runtime_error("the k-NN monitor needs labelled training and test images; " +
                                 options.labels.toStdString() + " has " +
                                 std::to_string(data.train.images.size(0)) + " and " +
                                 std::to_string(data.test.images.size(0)));
    }
    m_bankImages = data.train.images;
    m_bankLabels = data.train.labels;
    m_queryImages = data.test.images;
    m_queryLabels = data.test.labels;
    m_classes = static_cast<int64_t>(data.classes.size());
    if (m_classes == 0) {
        m_classes =
            std::max(m_bankLabels.max().item<int64_t>(), m_queryLabels.max().item<int64_t>()) + 1;
    }
    m_source = QString::fromStdString(data.source);
}

KnnMonitor::Result KnnMonitor::evaluate(TaskModelImpl& model, const Task& task,
                                        const ParamValues& params,
                                        const torch::Device& device) const {
    QElapsedTimer timer;
    timer.start();
    const auto bankStages =
        encoderFeatures(model, task, params, m_bankImages, m_options.sizePx, device);
    const auto queryStages =
        encoderFeatures(model, task, params, m_queryImages, m_options.sizePx, device);
    const auto count = static_cast<int>(bankStages.size());
    if (m_options.stage < 0 || m_options.stage > count) {
        throw std::runtime_error("the k-NN monitor's stage " + std::to_string(m_options.stage) +
                                 ": the encoder has stages 1 to " + std::to_string(count));
    }
    const size_t chosen = static_cast<size_t>(m_options.stage == 0 ? count : m_options.stage) - 1;
    const auto& bank = bankStages[chosen];
    const auto& queries = queryStages[chosen];
    Result r;
    r.accuracy = knnAccuracy(bank, m_bankLabels, queries, m_queryLabels, m_classes, m_options.knn);
    r.seconds = timer.nsecsElapsed() / 1e9;
    return r;
}

QString KnnMonitor::describe() const {
    return QStringLiteral("%1: %2 training images as the bank, %3 test images as queries, %4 "
                          "classes, k = %5, %6")
        .arg(m_source)
        .arg(m_bankImages.size(0))
        .arg(m_queryImages.size(0))
        .arg(m_classes)
        .arg(m_options.knn.k)
        .arg(m_options.stage == 0 ? QStringLiteral("last stage")
                                  : QStringLiteral("stage %1").arg(m_options.stage));
}

} // namespace pretext
