#include "TrainingSession.h"

#include "DeviceInfo.h"
#include "ImageSheet.h"
#include "RunConfig.h"
#include "TaskCatalog.h"
#include "TaskText.h"
#include "TensorImage.h"
#include "tasks/Registry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <cmath>
#include <torch/torch.h>
#include <torch/version.h>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct TrainingSessionTr {
    Q_DECLARE_TR_FUNCTIONS(TrainingSession)
};
} // namespace

namespace {
QString torchVersion() {
    return QStringLiteral("%1.%2.%3")
        .arg(TORCH_VERSION_MAJOR)
        .arg(TORCH_VERSION_MINOR)
        .arg(TORCH_VERSION_PATCH);
}

void check(bool ok, const QString& error) {
    if (!ok) {
        throw TrainingError(error.toStdString());
    }
}
} // namespace

QJsonObject describeRun(const TrainSettings& s, Trainer& trainer, const LoadedData& data,
                        const Communicator* group) {
    TrainSettings used = s;
    used.params = toVariantMap(trainer.config().params); // every parameter, defaults too
    QJsonObject json = runConfigJson(used, data.description);
    if (group != nullptr) {
        // --batch is per rank; the learning rate is as given (not rescaled for the world).
        json.insert(QStringLiteral("global_batch"),
                    s.batchSize * s.accumulate * group->worldSize());
        json.insert(QStringLiteral("distributed"),
                    QJsonObject{{"world_size", group->worldSize()},
                                {"backend", QString::fromStdString(group->backend())},
                                {"batch_per_rank", s.batchSize},
                                {"learning_rate_scaled", false}});
    }
    json.insert(QStringLiteral("app_version"), QStringLiteral(PRETEXT_VERSION));
    json.insert(QStringLiteral("torch_version"), torchVersion());
    json.insert(QStringLiteral("device"), QString::fromStdString(trainer.device().str()));
    const std::string label = deviceLabel(trainer.device());
    if (label != trainer.device().str()) {
        json.insert(QStringLiteral("device_name"), QString::fromStdString(label));
    }
    json.insert(QStringLiteral("memory_layout"),
                trainer.config().channelsLast == "on"    ? QStringLiteral("channels-last")
                : trainer.config().channelsLast == "off" ? QStringLiteral("contiguous")
                                                         : QStringLiteral("the task's choice"));
    if (trainer.config().precision != s.precision.toStdString()) { // amp: the one it became
        json.insert(QStringLiteral("precision_used"),
                    QString::fromStdString(trainer.config().precision));
    }
    json.insert(QStringLiteral("optimizer"), QStringLiteral("adam"));
    json.insert(QStringLiteral("encoder"),
                QString::fromStdString(trainer.model().encoder()->describe()));
    QVariantMap routes;
    for (const auto& [layer, route] : trainer.routePlan().routes()) {
        routes.insert(QString::fromStdString(layer), QString::fromStdString(route));
    }
    if (routes.isEmpty()) {
        json.remove(QStringLiteral("conv_routes"));
    } else {
        json.insert(QStringLiteral("conv_routes"), QJsonObject::fromVariantMap(routes));
    }
    json.insert(QStringLiteral("conv_route_summary"),
                QString::fromStdString(trainer.routePlan().summary()));
    json.insert(trainer.task().info().video ? QStringLiteral("windows_used")
                                            : QStringLiteral("images_used"),
                static_cast<qint64>(trainer.usableImages()));
    json.insert(QStringLiteral("augment_used"),
                QString::fromStdString(describeAugment(trainer.config().augment)));
    if (trainer.input()) {
        json.insert(QStringLiteral("pipeline_note"),
                    QString::fromStdString(trainer.input()->describe()));
    }
    json.insert(QStringLiteral("data_note"), trainer.dataStats()
                                                 ? QString::fromStdString(trainer.dataStats()->note)
                                                 : QString());
    return json;
}

TrainingSession::TrainingSession(const SessionOptions& options, const LoadedData& data)
    : m_options(options) {
    const TrainSettings& s = m_options.settings;
    TrainConfig cfg;
    cfg.task = s.task.toStdString();
    cfg.params = toParamValues(s.params);
    cfg.batchSize = s.batchSize;
    cfg.learningRate = s.learningRate;
    cfg.seed = s.seed;
    cfg.device = s.device.toStdString();
    if (m_options.group && cfg.device != "cpu" && torch::cuda::is_available()) {
        cfg.device = "cuda:" + std::to_string(m_options.group->settings().localRank); // its own GPU
    }
    cfg.convRoute = s.convRoute.toStdString();
    cfg.accumulate = s.accumulate;
    cfg.syncBatchNorm = s.syncBatchNorm;
    cfg.channelsLast = s.channelsLast.toStdString();
    cfg.precision = s.precision.toStdString();
    if (!m_options.resume) { // a resume's checkpoint holds the encoder the file began
        cfg.initEncoder = QDir::toNativeSeparators(s.initEncoder).toStdString();
    }
    QVariantMap routes = s.convRoutes;
    if (m_options.resume && routes.isEmpty()) {
        // A resume computes what the run's first part did: the routes it recorded (the
        // settings of a caller that built them by hand carry none).
        RunConfig recorded;
        QString ignored; // a config that does not parse is reported when the folder opens
        if (readRunConfig(QDir(s.runDir).filePath(runfiles::config), &recorded, &ignored)) {
            routes = recorded.settings.convRoutes;
        }
    }
    for (auto it = routes.cbegin(); it != routes.cend(); ++it) {
        cfg.convRoutes[it.key().toStdString()] = it.value().toString().toStdString();
    }
    const QString faults =
        s.faults.isEmpty() ? qEnvironmentVariable("PRETEXT_INJECT_FAULT") : s.faults;
    std::string faultError;
    const bool faultsOk = parseFaultInjection(faults.toStdString(), &cfg.faults, &faultError);
    check(faultsOk, QString::fromStdString(faultError));
    cfg.augment = resolveAugment(s.augment, data);
    // A video task trains on the videos' windows; an image task on image files through
    // their source, else on the images (for a loaded video, its frames).
    const auto task = makeTask(cfg.task.empty() ? defaultTaskName() : cfg.task);
    if (data.source && task && !task->info().video) {
        m_trainer = std::make_unique<Trainer>(cfg, data.source);
    } else {
        m_trainer = std::make_unique<Trainer>(cfg, data.images, data.video.get());
    }
    if (!s.monitor.isEmpty() && writes()) {
        KnnMonitorOptions monitor;
        monitor.labels = s.monitor;
        monitor.seed = s.seed;
        monitor.sizePx = data.sizePx > 0 ? data.sizePx : 64;
        monitor.stage = s.monitorStage;
        try {
            m_monitor = std::make_unique<KnnMonitor>(monitor);
        } catch (const std::exception& e) {
            throw TrainingError(TrainingSessionTr::tr("the k-NN monitor cannot use %1: %2")
                                    .arg(s.monitor, QString::fromUtf8(e.what()))
                                    .toStdString());
        }
        // The reference line: the same encoder at its random initialisation (the seed's),
        // before a checkpoint is loaded into it.
        const Trainer& t = *m_trainer;
        const KnnMonitor::Result r =
            m_monitor->evaluate(m_trainer->model(), t.task(), t.config().params, t.device());
        m_knnReference = r.accuracy;
        m_knnSeconds = r.seconds;
        m_monitorEvery = s.monitorEvery;
    }

    QString error;
    const Communicator* group = m_options.group.get();
    if (m_options.resume) {
        std::unique_ptr<RunFolder> folder = RunFolder::open(s.runDir, &error);
        check(folder != nullptr, error);
        if (writes()) {
            folder->removeLeftovers();
        }
        QByteArray bytes;
        QJsonObject manifest;
        check(folder->readCheckpoint(s.task, &bytes, &manifest, &error), error);
        try {
            m_trainer->loadCheckpoint(bytes.toStdString());
        } catch (const TrainingError& e) {
            throw TrainingError(
                QStringLiteral("%1: %2")
                    .arg(QDir::toNativeSeparators(s.runDir), QString::fromUtf8(e.what()))
                    .toStdString());
        }
        if (!m_options.learningRateGiven && m_trainer->savedLearningRate()) {
            m_trainer->setLearningRate(*m_trainer->savedLearningRate());
            m_options.settings.learningRate = *m_trainer->savedLearningRate();
        }
        m_startStep = m_trainer->stepCount();
        if (s.maxSteps > 0 && m_startStep >= s.maxSteps) {
            throw TrainingError(
                TrainingSessionTr::tr("%1 is already at step %2; ask for more steps than that")
                    .arg(QDir::toNativeSeparators(s.runDir))
                    .arg(m_startStep)
                    .toStdString());
        }
        if (!writes()) {
            m_clock.start();
            return; // the other ranks read the folder; rank 0 writes it
        }
        m_folder = std::move(folder);
        check(m_folder->continueMetrics(m_startStep, &m_wallOffsetS, &error), error);
        // config.json stays the run's own; it records the new step limit and the resume.
        QJsonObject json = describeRun(s, *m_trainer, data, group);
        QJsonArray resumed;
        QFile old(QDir(s.runDir).filePath(runfiles::config));
        if (old.open(QIODevice::ReadOnly)) {
            resumed = QJsonDocument::fromJson(old.readAll())
                          .object()
                          .value(QStringLiteral("resumed"))
                          .toArray();
        }
        resumed.append(QJsonObject{{"from_step", m_startStep},
                                   {"learning_rate", s.learningRate},
                                   {"world_size", group ? group->worldSize() : 1},
                                   {"at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}});
        json.insert(QStringLiteral("resumed"), resumed);
        addMonitor(json);
        m_configJson = QJsonDocument(json).toJson(QJsonDocument::Indented);
        check(m_folder->writeConfig(json, &error), error);
        m_lastSavedStep = m_startStep;
    } else if (writes()) {
        const QString dir =
            s.runDir.isEmpty() ? RunFolder::newRunPath(defaultRunsWorkspace(), s.task) : s.runDir;
        m_folder = RunFolder::create(dir, &error);
        check(m_folder != nullptr, error);
        QJsonObject json = describeRun(s, *m_trainer, data, group);
        addMonitor(json);
        m_configJson = QJsonDocument(json).toJson(QJsonDocument::Indented);
        check(m_folder->writeConfig(json, &error), error);
    }
    m_clock.start();
}

AugmentSpec resolveAugment(const QString& setting, const LoadedData& data) {
    if (setting == QLatin1String("auto") || setting.isEmpty()) {
        const QString source = data.description.value(QStringLiteral("source")).toString();
        const bool files = source == QLatin1String("files") || source == QLatin1String("videos");
        return augmentPreset(files ? "crop-flip" : "off");
    }
    bool known = false;
    const AugmentSpec spec = augmentPreset(setting.toStdString(), &known);
    if (!known) {
        throw TrainingError(
            TrainingSessionTr::tr("unknown augmentation '%1' (auto, off, crop-flip or "
                                  "crop-flip-jitter)")
                .arg(setting)
                .toStdString());
    }
    return spec;
}

QString TrainingSession::augmentDescription() const {
    return QString::fromStdString(describeAugment(m_trainer->config().augment));
}

QString TrainingSession::pipelineDescription() const {
    return m_trainer->input() ? QString::fromStdString(m_trainer->input()->describe()) : QString();
}

void TrainingSession::reportSkipped(TrainProgress& p) {
    const InputReport* source = m_trainer->input();
    if (!source) {
        return;
    }
    const std::vector<SkippedSample> skipped = source->skipped();
    if (static_cast<int>(skipped.size()) <= m_skippedSeen) {
        return;
    }
    QByteArray lines;
    QStringList named;
    for (size_t i = static_cast<size_t>(m_skippedSeen); i < skipped.size(); ++i) {
        const QString path = QString::fromStdString(skipped[i].path);
        const QString reason = QString::fromStdString(skipped[i].reason);
        named << QStringLiteral("%1 %2").arg(QDir::toNativeSeparators(path), reason);
        lines += QStringLiteral("%1\t%2\t%3\n").arg(path, reason).arg(p.step).toUtf8();
    }
    m_skippedSeen = static_cast<int>(skipped.size());
    if (m_folder) { // rank 0 keeps the list; each rank says what it skipped
        QFile file(QDir(m_folder->path()).filePath(runfiles::skipped));
        if (file.open(QIODevice::Append)) {
            file.write(lines);
        }
    }
    const QString note =
        TrainingSessionTr::tr(
            "skipped during training (%n file(s) so far; training goes on with the rest): "
            "%1",
            "", m_skippedSeen)
            .arg(named.join(QStringLiteral("; ")));
    p.skippedNote = note;
    p.skippedFiles = named;
}

QString overfittingWarning(const QList<EvaluationPoint>& evals, qint64 trainingSamples) {
    // The held-out loss averaged over three evaluations, so that one lucky or unlucky
    // evaluation of a small held-out set neither sets the low nor makes the rise.
    const int n = static_cast<int>(evals.size());
    if (n < 6) {
        return {};
    }
    const auto smooth = [&](int i) {
        return (evals[i].heldOut + evals[i - 1].heldOut + evals[i - 2].heldOut) / 3.0;
    };
    int best = 2;
    for (int i = 3; i < n; ++i) {
        if (smooth(i) < smooth(best)) {
            best = i;
        }
    }
    if (best > n - 4) {
        return {}; // the low is recent: three evaluations since it, at least
    }
    const double low = smooth(best), now = smooth(n - 1);
    if (!(now >= 1.25 * low)) {
        return {};
    }
    for (int i = n - 3; i < n; ++i) {
        if (!(evals[i].heldOut > low)) {
            return {}; // not rising: one of the last three is back at the low
        }
    }
    const double trainThen = evals[best].train, trainNow = evals[n - 1].train;
    if (!(trainNow <= 0.8 * trainThen)) {
        return {}; // the training loss did not fall by a fifth: not memorising
    }
    return TrainingSessionTr::tr(
               "Overfitting: the held-out loss has risen since step %1 (%2 → %3) while the "
               "training loss kept falling (%4 → %5). The model is memorising its %6 "
               "training samples instead of learning what carries over: load more data, "
               "or use stronger augmentation (Training ▸ Augmentation).")
        .arg(evals[best].step)
        .arg(low, 0, 'g', 3)
        .arg(now, 0, 'g', 3)
        .arg(trainThen, 0, 'g', 3)
        .arg(trainNow, 0, 'g', 3)
        .arg(trainingSamples);
}

QString TrainingSession::routeSummary() const {
    return QString::fromStdString(m_trainer->routePlan().summary());
}

TrainProgress TrainingSession::step(bool replay) {
    StepResult r;
    try {
        r = replay ? m_trainer->replayLastBatch() : m_trainer->step();
    } catch (const NonFiniteError& e) {
        // Nothing is saved from the failed step: the checkpoint on disk stays the last good one.
        const QString kept =
            m_lastSavedStep >= 0
                ? TrainingSessionTr::tr("The checkpoint of step %1 is kept; go on from it.")
                      .arg(m_lastSavedStep)
                : TrainingSessionTr::tr("No checkpoint was saved yet (one every %1 steps).")
                      .arg(m_options.checkpointEverySteps);
        throw NonFiniteError(
            QStringLiteral("%1 %2").arg(QString::fromStdString(e.what()), kept).toStdString(),
            e.step(), e.learningRate());
    }
    TrainProgress p;
    p.note = QString::fromStdString(r.note);
    p.updateSkipped = r.updateSkipped;
    p.step = r.step;
    p.loss = r.loss;
    p.wallTimeS = m_wallOffsetS + m_clock.elapsed() / 1000.0;
    const int world = m_options.group ? m_options.group->worldSize() : 1;
    const double ips = r.stepMs > 0
                           ? 1000.0 *
                                 static_cast<double>(m_trainer->config().batchSize *
                                                     m_trainer->config().accumulate * world) /
                                 r.stepMs
                           : 0.0;
    m_emaImagesPerSec = m_emaImagesPerSec == 0.0 ? ips : 0.9 * m_emaImagesPerSec + 0.1 * ips;
    p.imagesPerSec = m_emaImagesPerSec;
    for (const auto& [name, value] : r.metrics) {
        p.metrics.insert(QString::fromStdString(name), value);
    }
    if (!r.layerGradientNorms.empty()) {
        if (m_layerNames.isEmpty()) {
            for (const auto& name : m_trainer->layerNames()) {
                m_layerNames << QString::fromStdString(name);
            }
        }
        p.layerNames = m_layerNames;
        p.layerNorms = QList<double>(r.layerGradientNorms.begin(), r.layerGradientNorms.end());
    }
    m_lastUpdate = {r.updateNorm, r.parameterNorm};
    reportSkipped(p);
    p.pipeline = pipelineDescription();
    if (std::isfinite(p.loss)) {
        m_trainLossEma = m_trainLossEma < 0 ? p.loss : 0.9 * m_trainLossEma + 0.1 * p.loss;
    }
    if (!writes()) {
        return p; // rank 0 evaluates, logs and saves for the run
    }
    const int every = m_options.evaluateEverySteps;
    if (p.step == 1 || (every > 0 && p.step % every == 0) || reachedMaxSteps()) {
        addEvaluation(p);
        p.evaluated = true;
        m_evals.append(
            {p.step, p.metrics.value(QStringLiteral("heldout_loss")).toDouble(), m_trainLossEma});
        p.warning = overfittingWarning(m_evals, m_trainer->epochSize());
    }
    if (m_monitor && monitorDue(p.step)) {
        const Trainer& t = *m_trainer;
        const KnnMonitor::Result r =
            m_monitor->evaluate(m_trainer->model(), t.task(), t.config().params, t.device());
        m_knnSeconds = r.seconds;
        p.metrics.insert(QStringLiteral("knn_accuracy"), r.accuracy);
        p.metrics.insert(QStringLiteral("knn_random_init"), m_knnReference);
        p.knnSeconds = r.seconds;
    }
    QString error;
    check(m_folder->appendMetrics(p.step, p.wallTimeS, p.loss, p.metrics, &error), error);
    if (m_options.checkpointEverySteps > 0 && p.step % m_options.checkpointEverySteps == 0) {
        saveCheckpoint();
        p.checkpointed = true;
    }
    if (m_options.previewEverySteps > 0 && p.step % m_options.previewEverySteps == 0) {
        savePreview();
    }
    return p;
}

bool TrainingSession::monitorDue(qint64 step) {
    if (m_options.settings.monitorEvery <= 0 && step >= m_startStep + 5 &&
        m_emaImagesPerSec > 0.0) {
        // Unless asked, as often as costs a twentieth of the training time: the
        // monitor's last cost against a step's, rounded up to ten steps; chosen again as
        // both are measured, so a first slow step or evaluation does not set it for good.
        const double stepSeconds =
            static_cast<double>(m_trainer->config().batchSize * m_trainer->config().accumulate) /
            m_emaImagesPerSec;
        const double steps = m_knnSeconds / (0.05 * stepSeconds);
        m_monitorEvery = std::max(10, static_cast<int>(std::ceil(steps / 10.0)) * 10);
    }
    return step == m_startStep + 1 || reachedMaxSteps() ||
           (m_monitorEvery > 0 && step % m_monitorEvery == 0);
}

void TrainingSession::addMonitor(QJsonObject& config) const {
    if (m_monitor) {
        config.insert(QStringLiteral("knn_random_init"), m_knnReference);
        config.insert(QStringLiteral("monitor_note"), m_monitor->describe());
    }
}

StepReport TrainingSession::stepWithReport(bool replay, TrainProgress* progress) {
    StepReport report;
    report.replay = replay;
    report.before = snapshot();
    m_trainer->setMeasureUpdates(true);
    try {
        *progress = step(replay);
    } catch (...) {
        m_trainer->setMeasureUpdates(false);
        throw;
    }
    m_trainer->setMeasureUpdates(false);
    report.step = progress->step;
    report.lossBefore = progress->loss;
    report.updateNorm = m_lastUpdate.first;
    report.parameterNorm = m_lastUpdate.second;
    Trainer& t = *m_trainer;
    report.lossAfter = batchLoss(t.task(), t.model(), t.lastBatch(), t.config().params);
    report.after = snapshot();
    return report;
}

void TrainingSession::addEvaluation(TrainProgress& p) {
    const Evaluation e = m_trainer->evaluate();
    p.metrics.insert(QStringLiteral("heldout_loss"), e.loss);
    for (const auto& [name, value] : e.metrics) {
        p.metrics.insert(QStringLiteral("heldout_") + QString::fromStdString(name), value);
    }
    p.histogram = QList<double>(e.histogram.begin(), e.histogram.end());
    p.histogramTitle = taskText(e.histogramTitle);
    p.histogramAxis = taskText(e.histogramAxis);
    for (const auto& label : e.histogramLabels) {
        p.histogramLabels << taskText(label);
    }
}

ImageGrid TrainingSession::snapshot() {
    return toImageGrid(m_trainer->heldOutResults(), m_trainer->stepCount());
}

bool TrainingSession::reachedMaxSteps() const {
    const qint64 max = m_options.settings.maxSteps;
    return max > 0 && m_trainer->stepCount() >= max;
}

QString TrainingSession::deviceName() const {
    return QString::fromStdString(deviceLabel(m_trainer->device()));
}

void TrainingSession::saveCheckpoint() {
    const qint64 step = m_trainer->stepCount();
    if (step == m_lastSavedStep) {
        return;
    }
    const std::string bytes = m_trainer->checkpointBytes(m_configJson.toStdString());
    QString error;
    const QJsonObject extra{{"app_version", QStringLiteral(PRETEXT_VERSION)},
                            {"torch_version", torchVersion()},
                            {"task", m_options.settings.task}};
    check(m_folder->saveCheckpoint(QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())),
                                   step, extra, &error),
          error);
    m_lastSavedStep = step;
}

void TrainingSession::savePreview() {
    const qint64 step = m_trainer->stepCount();
    if (step == m_lastPreviewStep) {
        return;
    }
    const QImage sheet = renderSheet(
        snapshot(), TrainingSessionTr::tr("%1, step %2").arg(m_options.settings.task).arg(step));
    QString error;
    check(m_folder->savePreview(sheet, step, &error), error);
    m_lastPreviewStep = step;
}

void TrainingSession::finish() {
    if (!writes()) {
        return;
    }
    saveCheckpoint();
    savePreview();
}

void TrainingSession::joinGroup() {
    if (m_options.group) {
        m_trainer->joinGroup(m_options.group);
    }
}

} // namespace pretext
