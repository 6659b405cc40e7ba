// The embedding map from the command line: `embed` (a run's held-out features mapped
// and written as map.png, map.csv or features.pt) and `bench --embedding` (what the map
// and the neighbour queries cost).
#include "EmbedRun.h"
#include "HeadlessCommon.h"

#include "Embedding.h"
#include "Knn.h"
#include "Tsne.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <torch/torch.h>

#include <cmath>

namespace pretext::headless {

int embedCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Map a run's encoder features in two dimensions: held-out images embedded by one "
        "encoder stage (eval mode, global average pooling), laid out by t-SNE or PCA, "
        "coloured by class (labelled images) or by an image statistic. Writes the map as a "
        "picture (.png), a table (.csv) or the features themselves for Python (.pt: "
        "torch.load gives a dict with 'features', 'stages', 'names', 'labels', 'points').");
    p.addHelpOption();
    p.addOptions(
        {{"run", "The run folder, or a checkpoint file (it carries its config).", "DIR"},
         {"images",
          "'fashion-mnist', a folder of IDX files or a folder per class (their test images, "
          "coloured by class); or a folder of images, or image files (coloured by --colour-by).",
          "SOURCE", "fashion-mnist"},
         {"count", "Images drawn (seeded).", "N", "2000"},
         {"method", "tsne or pca.", "METHOD", "tsne"},
         {"stage", "The encoder stage mapped (1 = first; 0 = the last).", "S", "0"},
         {"perplexity", "t-SNE's perplexity: about how many neighbours each point keeps close.",
          "P", "30"},
         {"colour-by", "Unlabelled images: brightness or saturation.", "STAT", "brightness"},
         {"seed", "Draws the images and the random-init encoder.", "S", "1"},
         {"device", "auto, cpu or cuda.", "device", "auto"},
         {"out", "Where to write the map: FILE.png, FILE.csv or FILE.pt (repeatable).", "FILE"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (!p.isSet("run")) {
        throw CommandError{QStringLiteral("--run DIR is needed: the run whose encoder is mapped"),
                           2};
    }
    const QStringList outputs = p.values("out");
    if (outputs.isEmpty()) {
        throw CommandError{QStringLiteral("--out FILE is needed (.png, .csv or .pt)"), 2};
    }
    for (const QString& file : outputs) {
        const QString suffix = QFileInfo(file).suffix().toLower();
        if (suffix != QLatin1String("png") && suffix != QLatin1String("csv") &&
            suffix != QLatin1String("pt")) {
            throw CommandError{
                QStringLiteral("--out %1: the map is written as .png, .csv or .pt").arg(file), 2};
        }
    }
    EmbedRequest q;
    q.runDir = p.value("run");
    q.images = p.value("images");
    q.count = intValue(p, "count", 4, 100000);
    q.method = p.value("method");
    if (q.method != QLatin1String("tsne") && q.method != QLatin1String("pca")) {
        throw CommandError{
            QStringLiteral("--method must be tsne or pca, not '%1'").arg(p.value("method")), 2};
    }
    q.stage = static_cast<int>(intValue(p, "stage", 0, 64));
    bool ok = false;
    q.perplexity = p.value("perplexity").toDouble(&ok);
    if (!ok || !(q.perplexity >= 2.0 && q.perplexity <= 200.0)) {
        throw CommandError{QStringLiteral("--perplexity must be a number from 2 to 200, not '%1'")
                               .arg(p.value("perplexity")),
                           2};
    }
    q.colourBy = p.value("colour-by");
    if (q.colourBy != QLatin1String("brightness") && q.colourBy != QLatin1String("saturation")) {
        throw CommandError{QStringLiteral("--colour-by must be brightness or saturation, not '%1'")
                               .arg(q.colourBy),
                           2};
    }
    q.seed = static_cast<quint64>(intValue(p, "seed", 0, std::numeric_limits<int>::max()));
    q.device = p.value("device");
    const EmbedMap map = embedRun(q);
    for (const QString& line : map.skipped) {
        err() << "skipped " << line << Qt::endl;
    }
    for (const QString& file : outputs) {
        writeEmbedding(map, file);
    }
    QJsonArray dims, written;
    for (int d : map.dims) {
        dims.append(d);
    }
    for (const QString& file : outputs) {
        written.append(QDir::toNativeSeparators(file));
    }
    QJsonObject json{{"run", map.run},
                     {"task", map.task},
                     {"checkpoint_step", map.step},
                     {"images", map.source},
                     {"count", static_cast<qint64>(map.points.size())},
                     {"method", map.method},
                     {"stage", map.stage},
                     {"stage_dims", dims},
                     {"feature_seconds", map.featureSeconds},
                     {"map_seconds", map.mapSeconds},
                     {"written", written}};
    if (map.labelled()) {
        json.insert(QStringLiteral("silhouette"), map.silhouette);
        json.insert(QStringLiteral("silhouette_random_init"), map.randomSilhouette);
    }
    out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)) << Qt::flush;
    return 0;
}

namespace {
// Points around `clusters` centres far apart in `dims` dimensions, labelled by centre:
// features with a structure the map must find.
std::pair<torch::Tensor, torch::Tensor> clusteredFeatures(int64_t n, int64_t dims, int64_t clusters,
                                                          uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    const auto centres = torch::randn({clusters, dims}, gen) * 4.0;
    const auto labels = torch::arange(n, torch::kLong).remainder(clusters);
    return {centres.index_select(0, labels) + torch::randn({n, dims}, gen), labels};
}

double seconds(const QElapsedTimer& t) {
    return static_cast<double>(t.nsecsElapsed()) / 1e9;
}
} // namespace

void benchEmbedding(const QCommandLineParser& p) {
    const int64_t points = intValue(p, "map-points", 10, 100000);
    const int64_t bank = intValue(p, "neighbour-bank", 100, 10'000'000);
    const int64_t dims = 128;
    const auto [x, labels] = clusteredFeatures(points, dims, 10, 1);
    QElapsedTimer t;
    t.start();
    const PcaResult flat = pca(x, 2);
    const double pcaSeconds = seconds(t);
    t.restart();
    const torch::Tensor map = tsne(x);
    const double tsneSeconds = seconds(t);
    out() << QStringLiteral("embedding map: %1 points of %2 features in 10 clusters: PCA %3 ms "
                            "(silhouette %4); t-SNE %5 s (silhouette %6)")
                 .arg(points)
                 .arg(dims)
                 .arg(pcaSeconds * 1000.0, 0, 'f', 1)
                 .arg(silhouette(flat.points, labels), 0, 'f', 2)
                 .arg(tsneSeconds, 0, 'f', 2)
                 .arg(silhouette(map, labels), 0, 'f', 2)
          << Qt::endl;
    // The peer: scikit-learn's Barnes-Hut t-SNE (Cython), on the same points, when installed.
    QProcess py;
    const QString script = QStringLiteral(
        "import sys, time, numpy as np\n"
        "from sklearn.manifold import TSNE\n"
        "x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, int(sys.argv[2]))\n"
        "t = time.perf_counter()\n"
        "TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', n_iter=750, "
        "method='barnes_hut', angle=0.5, random_state=0).fit_transform(x)\n"
        "print(time.perf_counter() - t)\n");
    const QString data = QDir::temp().filePath(QStringLiteral("pretext-bench-tsne.f32"));
    {
        QFile f(data);
        const auto c = x.contiguous();
        if (f.open(QIODevice::WriteOnly)) {
            f.write(reinterpret_cast<const char*>(c.data_ptr<float>()),
                    static_cast<qint64>(c.numel() * sizeof(float)));
        }
    }
    py.start(QStringLiteral("/usr/bin/python3"),
             {QStringLiteral("-c"), script, data, QString::number(dims)});
    bool ran =
        py.waitForFinished(600000) && py.exitStatus() == QProcess::NormalExit && py.exitCode() == 0;
    double peer =
        ran ? QString::fromUtf8(py.readAllStandardOutput()).trimmed().toDouble(&ran) : 0.0;
    QFile::remove(data);
    if (ran && peer > 0) {
        out() << QStringLiteral("  peer: scikit-learn's Barnes-Hut t-SNE (750 iterations, its own "
                                "threads) %1 s: this map is %2x its speed")
                     .arg(peer, 0, 'f', 2)
                     .arg(peer / tsneSeconds, 0, 'f', 2)
              << Qt::endl;
    } else {
        out() << "  peer: scikit-learn not installed (apt-get install python3-sklearn): no ratio"
              << Qt::endl;
    }
    // Neighbour queries, brute force: one matrix-vector product over the bank.
    namespace F = torch::nn::functional;
    auto gen = at::detail::createCPUGenerator(2);
    const auto features =
        F::normalize(torch::randn({bank, dims}, gen), F::NormalizeFuncOptions().p(2).dim(1));
    const int queries = 50;
    nearestNeighbours(features, features[0], 10, 0); // warm-up
    t.restart();
    for (int i = 0; i < queries; ++i) {
        nearestNeighbours(features, features[i * 7 % bank], 10, i * 7 % bank);
    }
    const double perQuery = seconds(t) / queries;
    out() << QStringLiteral("neighbours: %1 features of %2: %3 ms per query (k = 10, brute force, "
                            "%4 MB of features)")
                 .arg(bank)
                 .arg(dims)
                 .arg(perQuery * 1000.0, 0, 'f', 2)
                 .arg(static_cast<double>(bank * dims * 4) / 1e6, 0, 'f', 0)
          << Qt::endl;
}

} // namespace pretext::headless
