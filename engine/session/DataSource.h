#pragma once
// Where training images come from: the built-in demo set or files and folders.
// Decoding happens here, once; the result is cached as one tensor.
#include "SessionTypes.h"

#include <QJsonObject>
#include <functional>
#include <torch/types.h>

namespace pretext {

struct LoadedData {
    torch::Tensor images;      // (N,3,S,S) float in [0,1], CPU
    torch::Tensor channelMean; // (3), computed once at load (fills, previews)
    QStringList paths;    // empty for the demo set
    QList<SkippedFile> skipped;
    QString label;
    int sizePx = 0;
    QJsonObject description; // what config.json records about the data
};

LoadedData loadDemoData(int sizePx, quint64 seed, int count = 0 /* 0: default count */);
LoadedData loadImageFiles(const QStringList& paths, int sizePx,
                          const std::function<void(int, int)>& progress = {});
DataSummary summarize(const LoadedData& data, int maxThumbnails = 256);

} // namespace pretext
