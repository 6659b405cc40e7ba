// The `probe` command: the linear probe of a run's encoder on labelled images, with
// the random-weight and raw-pixel baselines, as JSON.
#include "HeadlessCommon.h"
#include "ProbeRun.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace pretext::headless {

int probeCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Linear probe of a run's encoder (Goyal et al. 2019): each stage's pooled features, a "
        "linear "
        "softmax classifier with L2 regularization, top-1 accuracy on test images; beside it the "
        "same "
        "architecture with random weights and raw pixels, on the same splits. Prints JSON and "
        "keeps it "
        "in the run folder as probe.json (the window's probe panel shows it).");
    p.addHelpOption();
    p.addOptions(
        {{"run",
          "The run folder whose checkpoint is probed, or a checkpoint file (it carries its "
          "config).",
          "DIR"},
         {"labels", "'fashion-mnist', a folder of MNIST-layout IDX files, or a folder per class.",
          "SOURCE", "fashion-mnist"},
         {"train-size", "Labelled training images drawn (seeded).", "N", "10000"},
         {"test-size", "Test images drawn (seeded).", "N", "10000"},
         {"seed", "Draws the splits and the random-weight model.", "S", "1"},
         {"device", "auto, cpu or cuda.", "device", "auto"},
         {"json", "Also write the JSON to FILE.", "FILE"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (!p.isSet("run")) {
        throw CommandError{QStringLiteral("--run DIR is needed: the run whose encoder is probed"),
                           2};
    }
    ProbeRequest q;
    q.runDir = p.value("run");
    q.labels = p.value("labels");
    q.trainSize = intValue(p, "train-size", 10, 1000000);
    q.testSize = intValue(p, "test-size", 10, 1000000);
    q.seed = static_cast<quint64>(intValue(p, "seed", 0, std::numeric_limits<int>::max()));
    q.device = p.value("device");
    const QJsonObject json = probeRun(q);
    for (const QJsonValue& line : json.value(QStringLiteral("skipped")).toArray()) {
        err() << "skipped " << line.toString() << Qt::endl;
    }
    const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Indented);
    out() << QString::fromUtf8(text) << Qt::flush;
    // Kept with the run, where the window's probe panel shows it.
    const QFileInfo target(q.runDir);
    QFile kept(QDir(target.isFile() ? target.absolutePath() : q.runDir)
                   .filePath(QStringLiteral("probe.json")));
    if (!kept.open(QIODevice::WriteOnly | QIODevice::Truncate) || kept.write(text) != text.size()) {
        err() << "note: " << kept.fileName() << " could not be written: " << kept.errorString()
              << Qt::endl;
    }
    if (p.isSet("json")) {
        QFile file(p.value("json"));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(text) != text.size()) {
            throw CommandError{QStringLiteral("%1 could not be written: %2")
                                   .arg(p.value("json"), file.errorString()),
                               1};
        }
    }
    return 0;
}

} // namespace pretext::headless
