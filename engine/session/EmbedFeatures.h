#pragma once
// What stands behind an embedding map (EmbedRun.h): its images and each stage's
// features, trained and at random initialisation. Session-internal (torch).
#include <QString>
#include <torch/types.h>

#include <vector>

namespace pretext {

struct EmbedFeatures {
    QString images; // the request's images, count and seed: what makes two maps comparable
    qint64 count = 0;
    quint64 seed = 0;
    torch::Tensor pixels;               // (N,3,h,w) in [0,1]
    torch::Tensor labels;               // (N) int64, undefined when unlabelled
    std::vector<torch::Tensor> trained; // per stage (N,C), pooled, as the encoder gives them
    std::vector<torch::Tensor> unitTrained, unitRandom; // the same, rows L2-normalised
};

} // namespace pretext
