#include "DataSource.h"

#include "DemoData.h"
#include "ImageLoader.h"
#include "TensorImage.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <torch/torch.h>

namespace pretext {

LoadedData loadDemoData(int sizePx, quint64 seed, int count) {
    LoadedData data;
    const int n = count > 0 ? count : kDemoImageCount;
    data.images = makeDemoImages(n, sizePx, seed);
    data.channelMean = data.images.mean({0, 2, 3});
    data.sizePx = sizePx;
    data.label = QStringLiteral("built-in demo set (seed %1)").arg(seed);
    data.description = {{"source", "demo"}, {"demo_seed", QString::number(seed)},
                        {"count", n}, {"size_px", sizePx}};
    return data;
}

LoadedData loadImageFiles(const QStringList& paths, int sizePx,
                          const std::function<void(int, int)>& progress) {
    std::vector<std::string> files;
    for (const QString& p : paths) {
        files.push_back(QDir::cleanPath(p).toStdString());
    }
    auto set = io::loadImages(files, sizePx, {}, [&](size_t done, size_t total) {
        if (progress) {
            progress(static_cast<int>(done), static_cast<int>(total));
        }
    });
    LoadedData data;
    data.images = set.images;
    data.channelMean = set.images.size(0) > 0 ? set.images.mean({0, 2, 3}) : torch::full({3}, 0.5);
    data.sizePx = sizePx;
    for (const auto& p : set.paths) {
        data.paths << QString::fromStdString(p);
    }
    for (const auto& issue : set.skipped) {
        data.skipped.push_back(
            {QString::fromStdString(issue.path), QString::fromStdString(issue.reason)});
    }
    QStringList names;
    for (const QString& p : paths) {
        names << QFileInfo(p).fileName();
    }
    data.label = names.size() <= 3 ? names.join(QStringLiteral(", "))
                                   : QStringLiteral("%1 and %2 more").arg(names.front()).arg(names.size() - 1);
    data.description = {{"source", "files"},
                        {"paths", QJsonArray::fromStringList(paths)},
                        {"count", static_cast<int>(data.paths.size())},
                        {"skipped", static_cast<int>(data.skipped.size())},
                        {"size_px", sizePx}};
    return data;
}

DataSummary summarize(const LoadedData& data, int maxThumbnails) {
    DataSummary s;
    s.label = data.label;
    s.count = data.images.defined() ? static_cast<int>(data.images.size(0)) : 0;
    s.sizePx = data.sizePx;
    s.skipped = data.skipped;
    for (int i = 0; i < std::min(s.count, maxThumbnails); ++i) {
        s.thumbnails << toQImage(data.images[i]);
    }
    return s;
}

QString formatSkipped(const QList<SkippedFile>& skipped, int maxLines) {
    QStringList lines;
    for (int i = 0; i < skipped.size() && i < maxLines; ++i) {
        lines << QStringLiteral("%1 %2").arg(skipped[i].path, skipped[i].reason);
    }
    if (skipped.size() > maxLines) {
        lines << QStringLiteral("… and %1 more").arg(skipped.size() - maxLines);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace pretext
