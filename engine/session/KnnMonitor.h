#pragma once
// The live k-NN monitor of a run: a fixed labelled subset (a bank of training images
// and a set of queries, drawn with the run's seed), embedded by the current encoder
// (eval mode, one stage (the last by default), global average pooling) and judged by weighted k-NN
// (engine/core/Knn.h). Cheap enough to run every few hundred steps on the engine
// thread; what it costs is measured each time.
#include "Knn.h"
#include "Models.h"
#include "tasks/Task.h"

#include <QString>
#include <torch/types.h>

namespace pretext {

struct KnnMonitorOptions {
    QString labels; // "fashion-mnist", an IDX folder, or a folder per class
    int64_t bankSize = 2000;
    int64_t querySize = 500;
    KnnOptions knn;
    quint64 seed = 1;
    int sizePx = 64;
    int stage = 0; // the encoder stage judged, 1-based; 0: the last
};

class KnnMonitor {
public:
    // Loads the labelled subset; throws std::runtime_error naming the source and the
    // problem.
    explicit KnnMonitor(const KnnMonitorOptions& options);

    struct Result {
        double accuracy = 0.0;
        double seconds = 0.0;
    };
    Result evaluate(TaskModelImpl& model, const Task& task, const ParamValues& params,
                    const torch::Device& device) const;
    // "Fashion-MNIST: 2000 training images as the bank, 500 test images as queries, 10 classes"
    QString describe() const;
    int64_t classes() const { return m_classes; }

private:
    KnnMonitorOptions m_options;
    torch::Tensor m_bankImages, m_bankLabels, m_queryImages, m_queryLabels;
    int64_t m_classes = 0;
    QString m_source;
};

} // namespace pretext
