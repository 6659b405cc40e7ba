// The commands that judge a run's encoder on labelled images, as JSON: `probe` (the
// linear probe, with the random-weight and raw-pixel baselines) and `knn` (weighted
// k-NN accuracy, beside the random-init encoder's).
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
         {"checkpoint",
          "Probe the encoder in a state dict file instead of a run: one `export` wrote, or a "
          "PyTorch model's saved with torch.save(model.state_dict()) (a torchvision ResNet's "
          "fc.* is ignored).",
          "FILE"},
         {"backbone",
          "With --checkpoint: small, resnet18, resnet34 or resnet50 (default: what "
          "the file looks like).",
          "NAME"},
         {"stem", "With --checkpoint: auto (what the file looks like), small-input or imagenet.",
          "STEM", "auto"},
         {"input-norm",
          "With --checkpoint: how images in [0, 1] are fed: imagenet (torchvision's mean and "
          "deviation), symmetric (x * 2 - 1) or unit.",
          "NORM", "imagenet"},
         {"size", "With --checkpoint: the probe's image size in pixels.", "PX", "32"},
         {"json", "Also write the JSON to FILE.", "FILE"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (p.isSet("run") == p.isSet("checkpoint")) {
        throw CommandError{QStringLiteral("give --run DIR (a run's encoder) or --checkpoint FILE "
                                          "(a state dict's), one of them"),
                           2};
    }
    ProbeRequest q;
    q.runDir = p.value("run");
    q.stateDict = p.value("checkpoint");
    q.backbone = p.value("backbone");
    q.stem = p.value("stem");
    q.inputNorm = p.value("input-norm");
    q.sizePx = static_cast<int>(intValue(p, "size", 8, 512));
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
    if (!q.stateDict.isEmpty()) {
        return 0; // no run folder to keep it in
    }
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

int knnCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Weighted k-NN accuracy of a run's encoder (what the live monitor measures): a labelled "
        "bank and queries embedded by the encoder's last stage, each query classified by its k "
        "nearest bank images (cosine similarity, votes weighted exp(s/T)); beside it the same "
        "architecture at its random initialisation. Prints JSON.");
    p.addHelpOption();
    p.addOptions(
        {{"run", "The run folder, or a checkpoint file (it carries its config).", "DIR"},
         {"labels", "'fashion-mnist', a folder of MNIST-layout IDX files, or a folder per class.",
          "SOURCE", "fashion-mnist"},
         {"bank", "Labelled training images drawn as the bank (seeded).", "N", "2000"},
         {"queries", "Test images drawn as queries (seeded).", "N", "500"},
         {"k", "Neighbours that vote.", "K", "20"},
         {"temperature", "T of the votes' weights exp(s/T).", "T", "0.07"},
         {"seed", "Draws the images and the random-init encoder.", "S", "1"},
         {"stage",
          "The encoder stage judged (1 = first; 0 = the last; default: the stage the run's "
          "monitor judged, else the last).",
          "S"},
         {"device", "auto, cpu or cuda.", "device", "auto"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (!p.isSet("run")) {
        throw CommandError{QStringLiteral("--run DIR is needed: the run whose encoder is judged"),
                           2};
    }
    KnnRequest q;
    q.runDir = p.value("run");
    q.labels = p.value("labels");
    q.bankSize = intValue(p, "bank", 10, 1000000);
    q.querySize = intValue(p, "queries", 10, 1000000);
    q.k = static_cast<int>(intValue(p, "k", 1, 10000));
    bool ok = false;
    q.temperature = p.value("temperature").toDouble(&ok);
    if (!ok || !(q.temperature > 0.0)) {
        throw CommandError{QStringLiteral("--temperature must be a positive number, not '%1'")
                               .arg(p.value("temperature")),
                           2};
    }
    q.seed = static_cast<quint64>(intValue(p, "seed", 0, std::numeric_limits<int>::max()));
    q.device = p.value("device");
    if (p.isSet("stage")) {
        q.stage = static_cast<int>(intValue(p, "stage", 0, 64));
    }
    const QJsonObject json = knnRun(q);
    out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)) << Qt::flush;
    return 0;
}

} // namespace pretext::headless
