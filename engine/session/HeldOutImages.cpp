#include "HeldOutImages.h"

#include "DemoData.h"
#include "Fail.h"
#include "ImageLoader.h"
#include "Labelled.h"
#include "Rng.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

namespace {
struct HeldOutImagesTr {
    Q_DECLARE_TR_FUNCTIONS(EmbedRun)
};

// Whether `spec` names labelled images: IDX data, or a folder of two or more subfolders.
bool isLabelledSpec(const QString& spec) {
    if (io::isIdxSource(spec.toStdString())) {
        return true;
    }
    const QDir dir(spec);
    return QFileInfo(spec).isDir() && dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() >= 2;
}
} // namespace

HeldOutImages readHeldOutImages(const QString& spec, qint64 count, quint64 seed, int sizePx) {
    HeldOutImages r;
    if (spec == QLatin1String("demo")) {
        // The built-in set, drawn with a seed of its own so that it is not the run's
        // training set (the demo set of seed 1).
        r.pixels = makeDemoImages(static_cast<int>(count), sizePx, seed + 1000);
        for (int64_t i = 0; i < r.pixels.size(0); ++i) {
            r.names << QStringLiteral("demo#%1").arg(i);
        }
        r.source = HeldOutImagesTr::tr("%1 images of the built-in demo set (seed %2)")
                       .arg(r.pixels.size(0))
                       .arg(seed + 1000);
        return r;
    }
    if (isLabelledSpec(spec)) {
        io::LabelledOptions lo;
        lo.maxTrain = 1; // only the test images are mapped
        lo.maxTest = count;
        lo.seed = seed;
        lo.sizePx = sizePx;
        io::LabelledData data = io::loadLabelled(spec.toStdString(), lo);
        r.pixels = data.test.images;
        r.labels = data.test.labels;
        for (const auto& name : data.test.names) {
            r.names << QString::fromStdString(name);
        }
        for (const auto& c : data.classes) {
            r.classes << QString::fromStdString(c);
        }
        for (const auto& issue : data.skipped) {
            r.skipped << QStringLiteral("%1: %2").arg(QString::fromStdString(issue.path),
                                                      QString::fromStdString(issue.reason));
        }
        r.source = HeldOutImagesTr::tr("%1 test images of %2")
                       .arg(r.pixels.size(0))
                       .arg(QString::fromStdString(data.source));
        return r;
    }
    std::vector<io::LoadIssue> issues;
    std::vector<std::string> files = io::collectImageFiles({spec.toStdString()}, issues);
    const auto total = static_cast<int64_t>(files.size());
    if (total > count) {
        // A seeded draw, kept in file order.
        auto gen = makeGenerator(seed);
        const auto pick =
            std::get<0>(torch::randperm(total, gen, torch::kLong).narrow(0, 0, count).sort());
        std::vector<std::string> picked;
        for (int64_t i = 0; i < pick.size(0); ++i) {
            picked.push_back(files[static_cast<size_t>(pick[i].item<int64_t>())]);
        }
        files.swap(picked);
    }
    io::ImageSet set = io::loadImages(files, sizePx);
    issues.insert(issues.end(), set.skipped.begin(), set.skipped.end());
    for (const auto& issue : issues) {
        r.skipped << QStringLiteral("%1: %2").arg(QString::fromStdString(issue.path),
                                                  QString::fromStdString(issue.reason));
    }
    if (!set.images.defined() || set.images.size(0) < 4) {
        fail(HeldOutImagesTr::tr("%1: %2 image(s) could be read; a map needs at least 4%3")
                 .arg(QDir::toNativeSeparators(spec))
                 .arg(set.images.defined() ? set.images.size(0) : 0)
                 .arg(r.skipped.isEmpty()
                          ? QString()
                          : QStringLiteral(" (") + r.skipped.first() + QStringLiteral(")")));
    }
    r.pixels = set.images;
    for (const auto& path : set.paths) {
        r.names << QString::fromStdString(path);
    }
    r.source = HeldOutImagesTr::tr("%1 images of %2 (%3 found)")
                   .arg(r.pixels.size(0))
                   .arg(QDir::toNativeSeparators(spec))
                   .arg(total);
    return r;
}

} // namespace pretext
