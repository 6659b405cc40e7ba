// The `probe` command: the linear probe of a run's encoder on labelled images, with
// the random-weight and raw-pixel baselines, as JSON.
#include "HeadlessCommon.h"
#include "Labelled.h"
#include "Probe.h"
#include "RunConfig.h"
#include "RunFolder.h"
#include "TaskCatalog.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

namespace pretext::headless {

namespace {
QJsonObject fitJson(const ProbeFit& f, int stage = 0) {
    QJsonObject o{{"dims", static_cast<qint64>(f.dims)},
                  {"accuracy", f.testAccuracy},
                  {"train_accuracy", f.trainAccuracy},
                  {"l2", f.l2}};
    if (stage > 0) {
        o.insert(QStringLiteral("stage"), stage);
    }
    return o;
}

QJsonArray stagesJson(const std::vector<ProbeFit>& fits) {
    QJsonArray a;
    for (size_t s = 0; s < fits.size(); ++s) {
        a.append(fitJson(fits[s], static_cast<int>(s) + 1));
    }
    return a;
}

LabelledImages labelled(const io::LabelledSplit& s) { return {s.images, s.labels}; }
} // namespace

int probeCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Linear probe of a run's encoder (Goyal et al. 2019): each stage's pooled features, a linear "
        "softmax classifier with L2 regularization, top-1 accuracy on test images; beside it the same "
        "architecture with random weights and raw pixels, on the same splits. Prints JSON.");
    p.addHelpOption();
    p.addOptions({{"run", "The run folder whose checkpoint is probed.", "DIR"},
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
        throw CommandError{QStringLiteral("--run DIR is needed: the run whose encoder is probed"), 2};
    }
    const QString runDir = p.value("run");
    RunConfig config;
    QString error;
    if (!readRunSettings(runDir, &config, &error)) {
        throw CommandError{error, 1};
    }
    const TrainSettings& s = config.settings;
    auto folder = RunFolder::open(runDir, &error);
    QByteArray bytes;
    QJsonObject manifest;
    if (!folder || !folder->readCheckpoint(s.task, &bytes, &manifest, &error)) {
        throw CommandError{error, 1};
    }
    auto task = makeTask(s.task.toStdString());
    const ParamValues params = withDefaults(task->info(), toParamValues(s.params));
    int64_t step = 0;
    std::shared_ptr<TaskModelImpl> model;
    try {
        model = modelFromCheckpoint(*task, params, bytes.toStdString(), &step);
    } catch (const std::exception& e) {
        throw CommandError{QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(runDir), QString::fromUtf8(e.what())), 1};
    }
    const quint64 seed = static_cast<quint64>(intValue(p, "seed", 0, std::numeric_limits<int>::max()));
    torch::manual_seed(seed);
    auto randomModel = task->makeModel(params);
    const int sizePx = config.data.value(QStringLiteral("size_px")).toInt(64);

    io::LabelledOptions lo;
    lo.maxTrain = intValue(p, "train-size", 10, 1000000);
    lo.maxTest = intValue(p, "test-size", 10, 1000000);
    lo.seed = seed;
    lo.sizePx = sizePx;
    const io::LabelledData data = io::loadLabelled(p.value("labels").toStdString(), lo);
    for (const auto& issue : data.skipped) {
        err() << "skipped " << QString::fromStdString(issue.path) << ": " << QString::fromStdString(issue.reason) << Qt::endl;
    }
    const torch::Device device = resolveDevice(p.value("device").toStdString());
    model->to(device);
    randomModel->to(device);
    ProbeOptions po;
    po.seed = seed;
    const auto classes = static_cast<int64_t>(data.classes.size());
    const ProbeReport r = probeEncoder(*model, *randomModel, *task, params, sizePx, labelled(data.train),
                                       labelled(data.test), classes, device, po);

    QJsonArray classNames;
    for (const auto& c : data.classes) {
        classNames.append(QString::fromStdString(c));
    }
    int best = 0;
    for (size_t i = 1; i < r.stages.size(); ++i) {
        if (r.stages[i].testAccuracy > r.stages[best].testAccuracy) {
            best = static_cast<int>(i);
        }
    }
    const QJsonObject json{
        {"run", QDir(runDir).absolutePath()},
        {"task", s.task},
        {"checkpoint_step", static_cast<qint64>(step)},
        {"labels", QString::fromStdString(data.source)},
        {"classes", classNames},
        {"chance", 1.0 / static_cast<double>(classes)},
        {"train_size", static_cast<qint64>(data.train.images.size(0))},
        {"test_size", static_cast<qint64>(data.test.images.size(0))},
        {"train_available", static_cast<qint64>(data.train.available)},
        {"test_available", static_cast<qint64>(data.test.available)},
        {"seed", static_cast<qint64>(seed)},
        {"image_size_px", sizePx},
        {"device", QString::fromStdString(device.str())},
        {"stages", stagesJson(r.stages)},
        {"best_stage", best + 1},
        {"random_weights", stagesJson(r.randomStages)},
        {"raw_pixels", fitJson(r.rawPixels)},
        {"seconds", r.seconds}};
    const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Indented);
    out() << QString::fromUtf8(text) << Qt::flush;
    if (p.isSet("json")) {
        QFile file(p.value("json"));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size()) {
            throw CommandError{QStringLiteral("%1 could not be written: %2").arg(p.value("json"), file.errorString()), 1};
        }
    }
    return 0;
}

} // namespace pretext::headless
