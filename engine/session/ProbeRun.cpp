#include "ProbeRun.h"

#include "KnnMonitor.h"
#include "RunModel.h"

#include "Labelled.h"
#include "Probe.h"
#include "RunConfig.h"
#include "RunFolder.h"
#include "TaskCatalog.h"
#include "Trainer.h"
#include "tasks/Registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

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
} // namespace

QJsonObject probeRun(const ProbeRequest& q) {
    RunModel run = q.stateDict.isEmpty()
                       ? openRunModel(q.runDir)
                       : openStateDictModel(q.stateDict, q.backbone, q.stem, q.inputNorm, q.sizePx);
    const TrainSettings& s = run.config.settings;
    const std::unique_ptr<Task>& task = run.task;
    const ParamValues& params = run.params;
    const int64_t step = run.step;
    std::shared_ptr<TaskModelImpl> model = run.model;
    const auto randomModel = randomInitModel(*task, params, q.seed);
    const int sizePx = run.sizePx;

    io::LabelledOptions lo;
    lo.maxTrain = q.trainSize;
    lo.maxTest = q.testSize;
    lo.seed = q.seed;
    lo.sizePx = sizePx;
    const io::LabelledData data = io::loadLabelled(q.labels.toStdString(), lo);
    q.cancel.throwIfCancelled();
    const torch::Device device = resolveDevice(q.device.toStdString());
    model->to(device);
    randomModel->to(device);
    ProbeOptions po;
    po.seed = q.seed;
    po.cancel = q.cancel;
    const auto classes = static_cast<int64_t>(data.classes.size());
    const ProbeReport r = probeEncoder(*model, *randomModel, *task, params, sizePx,
                                       {data.train.images, data.train.labels},
                                       {data.test.images, data.test.labels}, classes, device, po);

    QJsonArray classNames, skipped;
    for (const auto& c : data.classes) {
        classNames.append(QString::fromStdString(c));
    }
    for (const auto& issue : data.skipped) {
        skipped.append(QStringLiteral("%1: %2").arg(QString::fromStdString(issue.path),
                                                    QString::fromStdString(issue.reason)));
    }
    int best = 0;
    for (size_t i = 1; i < r.stages.size(); ++i) {
        if (r.stages[i].testAccuracy > r.stages[best].testAccuracy) {
            best = static_cast<int>(i);
        }
    }
    const QString probed = q.stateDict.isEmpty() ? q.runDir : q.stateDict;
    return {{"run", QDir(probed).absolutePath()},
            {"encoder", QString::fromStdString(model->encoder()->describe())},
            {"task", s.task},
            {"checkpoint_step", static_cast<qint64>(step)},
            {"labels", QString::fromStdString(data.source)},
            {"classes", classNames},
            {"chance", 1.0 / static_cast<double>(classes)},
            {"train_size", static_cast<qint64>(data.train.images.size(0))},
            {"test_size", static_cast<qint64>(data.test.images.size(0))},
            {"train_available", static_cast<qint64>(data.train.available)},
            {"test_available", static_cast<qint64>(data.test.available)},
            {"seed", static_cast<qint64>(q.seed)},
            {"image_size_px", sizePx},
            {"device", QString::fromStdString(device.str())},
            {"stages", stagesJson(r.stages)},
            {"best_stage", best + 1},
            {"random_weights", stagesJson(r.randomStages)},
            {"raw_pixels", fitJson(r.rawPixels)},
            {"skipped", skipped},
            {"seconds", r.seconds}};
}

QJsonObject knnRun(const KnnRequest& q) {
    RunModel run = openRunModel(q.runDir);
    KnnMonitorOptions o;
    o.labels = q.labels;
    o.bankSize = q.bankSize;
    o.querySize = q.querySize;
    o.knn.k = q.k;
    o.knn.temperature = q.temperature;
    o.stage = q.stage >= 0 ? q.stage : run.config.settings.monitorStage;
    o.seed = q.seed;
    o.sizePx = run.sizePx;
    const KnnMonitor monitor(o);
    const torch::Device device = resolveDevice(q.device.toStdString());
    // The reference: the same architecture at the seed's random initialisation.
    const auto randomModel = randomInitModel(*run.task, run.params, q.seed);
    run.model->to(device);
    randomModel->to(device);
    const KnnMonitor::Result trained = monitor.evaluate(*run.model, *run.task, run.params, device);
    const KnnMonitor::Result random = monitor.evaluate(*randomModel, *run.task, run.params, device);
    return QJsonObject{{"run", QDir::toNativeSeparators(q.runDir)},
                       {"task", run.config.settings.task},
                       {"checkpoint_step", static_cast<qint64>(run.step)},
                       {"labels", monitor.describe()},
                       {"k", static_cast<qint64>(q.k)},
                       {"temperature", q.temperature},
                       {"stage", o.stage},
                       {"knn_accuracy", trained.accuracy},
                       {"knn_random_init", random.accuracy},
                       {"chance", 1.0 / static_cast<double>(monitor.classes())},
                       {"seconds", trained.seconds}};
}

} // namespace pretext
