// The `train` command: a new run, a run from a JSON config, or a resumed run.
#include "Augment.h"
#include "ConvRoutes.h"
#include "Errors.h"
#include "HeadlessCommon.h"
#include "LocalLauncher.h"
#include "Precision.h"
#include "Presets.h"
#include "RunConfig.h"
#include "TaskCatalog.h"
#include "Threads.h"
#include "TrainingSession.h"

#include "dist/Communicator.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace pretext::headless {

namespace {

const char* const kRunDefiningOptions[] = {"preset", "task",    "mask",   "grid",  "perms", "head",
                                           "mode",   "variant", "frames", "param", "seed"};

void refuseRunDefiningOptions(const QCommandLineParser& p, const QString& why,
                              const char* allowed = "") {
    for (const char* name : kRunDefiningOptions) {
        if (qstrcmp(name, allowed) != 0 && p.isSet(QLatin1String(name))) {
            throw CommandError{
                QStringLiteral("--%1 cannot be given with %2").arg(QLatin1String(name), why), 2};
        }
    }
}

// What `train` is asked to do: a run's settings and the data to load for it.
struct TrainRequest {
    TrainSettings settings;
    QJsonObject data; // a described data source (config or run folder); empty: --data
    bool resume = false;
};

TrainRequest trainRequest(QCommandLineParser& p, const QStringList& args, Common* c) {
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    TrainRequest r;
    if (p.isSet("resume")) {
        refuseRunDefiningOptions(p,
                                 QStringLiteral("--resume (the run goes on with its own config)"));
        // --lr may change: a run that diverged goes on with a lower rate.
        for (const char* name : {"config", "out", "data", "size", "batch"}) {
            if (p.isSet(QLatin1String(name))) {
                throw CommandError{
                    QStringLiteral(
                        "--%1 cannot be given with --resume (the run goes on with its own config)")
                        .arg(QLatin1String(name)),
                    2};
            }
        }
        if (!p.isSet("steps")) {
            throw CommandError{QStringLiteral("--resume DIR needs --steps N, the step to train to"),
                               2};
        }
        RunConfig config;
        QString error;
        if (!readRunSettings(p.value("resume"), &config, &error)) {
            throw CommandError{error, 1};
        }
        r.settings = config.settings;
        r.data = config.data;
        r.resume = true;
    } else if (p.isSet("config") || p.isSet("preset")) {
        RunConfig config;
        QString error;
        if (p.isSet("config")) {
            refuseRunDefiningOptions(p, QStringLiteral("--config (the file gives it)"));
            if (!readRunConfig(p.value("config"), &config, &error)) {
                throw CommandError{error, 2};
            }
        } else {
            refuseRunDefiningOptions(p, QStringLiteral("--preset (the preset gives it)"), "preset");
            const Preset* preset = findPreset(p.value("preset"));
            if (preset == nullptr) {
                throw CommandError{
                    QStringLiteral("unknown preset '%1'; 'pretext-workbench presets' lists them")
                        .arg(p.value("preset")),
                    2};
            }
            config = preset->config;
        }
        r.settings = config.settings;
        if (!p.isSet("data")) {
            r.data = config.data;
        }
        if (!r.data.isEmpty() && p.isSet("size")) {
            throw CommandError{
                QStringLiteral("--size cannot be given with a config that names its data (its "
                               "data.size_px is %1); give --data too, or change the file")
                    .arg(r.data.value(QStringLiteral("size_px")).toInt(64)),
                2};
        }
        if (r.settings.maxSteps == 0 && !p.isSet("steps")) {
            r.settings.maxSteps = 200;
        }
    }
    // parseCommon checks the shared options; for --resume and --config it runs with the
    // file's task so that --data and --size are read for the right kind of data.
    QStringList commonArgs = args;
    const bool fromFile = r.resume || p.isSet("config") || p.isSet("preset");
    if (fromFile) {
        commonArgs << QStringLiteral("--task") << r.settings.task;
    }
    *c = parseCommon(p, commonArgs);
    if (fromFile) {
        c->seed = r.settings.seed;
    } else {
        r.settings.task = c->task;
        r.settings.params = toVariantMap(c->params);
        r.settings.seed = c->seed;
        r.settings.learningRate = c->info.learningRate;
    }
    if (p.isSet("steps") || !fromFile) {
        r.settings.maxSteps = intValue(p, "steps", 1, 100'000'000);
    }
    if (p.isSet("batch")) {
        r.settings.batchSize = static_cast<int>(intValue(p, "batch", 1, 4096));
    }
    if (p.isSet("lr")) {
        bool ok = true;
        r.settings.learningRate = p.value("lr").toDouble(&ok);
        if (!ok || r.settings.learningRate <= 0 || r.settings.learningRate > 10) {
            throw CommandError{
                QStringLiteral("--lr must be a positive number, not '%1'").arg(p.value("lr")), 2};
        }
    }
    if (p.isSet("device")) {
        r.settings.device = p.value("device");
        if (r.settings.device != "auto" && r.settings.device != "cpu" &&
            r.settings.device != "cuda") {
            throw CommandError{QStringLiteral("--device must be auto, cpu or cuda, not '%1'")
                                   .arg(r.settings.device),
                               2};
        }
    }
    if (p.isSet("monitor")) {
        r.settings.monitor = p.value("monitor");
    }
    if (p.isSet("init")) {
        if (r.resume) {
            throw CommandError{QStringLiteral("--init starts a new run's encoder; a resume "
                                              "continues from its checkpoint"),
                               2};
        }
        r.settings.initEncoder = QFileInfo(p.value("init")).absoluteFilePath();
        if (!QFileInfo(r.settings.initEncoder).isFile()) {
            throw CommandError{QStringLiteral("--init %1: no such file").arg(p.value("init")), 2};
        }
    }
    if (p.isSet("sync-bn")) {
        r.settings.syncBatchNorm = true;
    }
    if (p.isSet("channels-last")) {
        r.settings.channelsLast = p.value("channels-last");
        if (!QStringList{"auto", "on", "off"}.contains(r.settings.channelsLast)) {
            throw CommandError{QStringLiteral("--channels-last must be auto, on or off, not '%1'")
                                   .arg(r.settings.channelsLast),
                               2};
        }
    }
    if (p.isSet("accumulate")) {
        r.settings.accumulate = static_cast<int>(intValue(p, "accumulate", 1, 4096));
    }
    if (p.isSet("precision")) {
        r.settings.precision = p.value("precision");
        if (!knownPrecision(r.settings.precision.toStdString())) {
            throw CommandError{
                QStringLiteral("--precision must be fp32, bf16, fp16 or amp, not '%1'")
                    .arg(r.settings.precision),
                2};
        }
    }
    if (p.isSet("monitor-stage")) {
        r.settings.monitorStage = static_cast<int>(intValue(p, "monitor-stage", 0, 64));
    }
    if (p.isSet("monitor-every")) {
        r.settings.monitorEvery = static_cast<int>(intValue(p, "monitor-every", 1, 1 << 30));
    }
    if (p.isSet("augment")) {
        r.settings.augment = p.value("augment");
        bool known = false;
        augmentPreset(r.settings.augment.toStdString(), &known);
        if (!known && r.settings.augment != QLatin1String("auto")) {
            throw CommandError{QStringLiteral("--augment must be auto, off, crop-flip or "
                                              "crop-flip-jitter, not '%1'")
                                   .arg(r.settings.augment),
                               2};
        }
    }
    if (p.isSet("conv-route")) {
        r.settings.convRoute = p.value("conv-route");
        if (!parseRouteMode(r.settings.convRoute.toStdString())) {
            throw CommandError{
                QStringLiteral("--conv-route must be auto, libtorch or fast, not '%1'")
                    .arg(r.settings.convRoute),
                2};
        }
        r.settings.convRoutes.clear(); // asked anew: not the routes a config recorded
    }
    if (r.resume) {
        r.settings.runDir = p.value("resume");
    } else if (!p.isSet("out")) {
        throw CommandError{
            QStringLiteral("train needs --out DIR, the run folder to write (or --resume DIR)"), 2};
    } else {
        r.settings.runDir = p.value("out");
    }
    return r;
}

// `train --nproc N ...`: the same command in N ranks; their output is this one's.
int launchRanks(int nproc, const QStringList& args, int timeoutS) {
    QStringList rest{QStringLiteral("train")};
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--nproc") || args[i] == QLatin1String("-nproc")) {
            ++i; // and its value
        } else if (!args[i].startsWith(QLatin1String("--nproc="))) {
            rest << args[i];
        }
    }
    // A rank that fails makes the others stop within their timeout; a little more for
    // their messages, then the launcher stops what is left.
    const LaunchResult r = launchLocalRanks(nproc, rest, timeoutS + 10);
    if (r.exitCode != 0) {
        throw CommandError{
            QStringLiteral("the distributed run of %1 ranks failed: %2").arg(nproc).arg(r.summary),
            r.exitCode};
    }
    return 0;
}

} // namespace

int presetsCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "List the built-in presets: id, task, title and what each reproduces.");
    p.addHelpOption();
    p.addPositionalArgument("task", "Only this task's presets.", "[task]");
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    const QString task = p.positionalArguments().value(0);
    for (const Preset& preset : builtInPresets()) {
        if (!task.isEmpty() && preset.config.settings.task != task) {
            continue;
        }
        out() << preset.id.leftJustified(30) << " " << preset.config.settings.task.leftJustified(13)
              << preset.title << (preset.classroom ? QStringLiteral("  [classroom]") : QString())
              << "\n    " << preset.description << Qt::endl;
    }
    return 0;
}

int trainCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Train a pretext task and write its run folder.\n"
        "  train [options] --out DIR            a new run\n"
        "  train --config FILE --out DIR        a new run with the settings of a JSON config\n"
        "  train --preset ID --out DIR          a new run with a built-in preset's settings\n"
        "                                       (a run's config.json, or File > Save Config)\n"
        "  train --resume DIR --steps N         go on with the run in DIR until step N");
    addCommonOptions(p);
    p.addOptions(
        {{"steps", "Training steps (with --resume: the step to reach).", "N", "200"},
         {"out", "Run folder to write (must not hold a run already).", "dir"},
         {"config", "JSON config with the run's settings (and data).", "file"},
         {"preset", "A built-in preset's settings (and data); 'presets' lists them.", "id"},
         {"resume", "Run folder to go on with, from its checkpoint.", "dir"},
         {"checkpoint-every", "Steps between checkpoints.", "N", "250"},
         {"memory-at",
          "Print the resident memory after these steps (comma-separated; "
          "a soak test's figures).",
          "steps"},
         {"batch", "Batch size.", "B", "32"},
         {"lr", "Learning rate (Adam); default: the task's own.", "rate"},
         {"device", "auto, cpu or cuda.", "device", "auto"},
         {"conv-route",
          "How convolutions choose their route: auto (each layer timed at "
          "the start, the fastest kept), libtorch or fast.",
          "route", "auto"},
         {"augment",
          "Training samples' augmentation: auto (crop and flip for files, none for the "
          "built-in and IDX sets), off, crop-flip (random resized crop 35-100% of the area, "
          "horizontal flip) or crop-flip-jitter (and colour jitter, not for colorization).",
          "mode", "auto"},
         {"monitor",
          "Live k-NN monitor: judge the encoder while it learns on labelled images "
          "('fashion-mnist', an IDX folder or a folder per class); writes knn_accuracy and "
          "knn_random_init to metrics.csv.",
          "labels"},
         {"monitor-stage", "The encoder stage the k-NN monitor judges (1 = first; 0 = the last).",
          "S"},
         {"monitor-every",
          "Steps between k-NN evaluations (default: as often as costs a twentieth of the training "
          "time).",
          "N"},
         {"init",
          "Start the encoder from a state dict file: one `export` wrote, or one saved in Python "
          "with torch.save(model.state_dict()) (a torchvision ResNet's fc.* is ignored).",
          "FILE"},
         {"accumulate",
          "Sum the gradients of K batches before each update: an effective batch of K times "
          "--batch (config.json's global_batch).",
          "K"},
         {"precision",
          "fp32; bf16: forward passes under autocast to bfloat16 (CPU or CUDA); fp16: to "
          "float16 with dynamic loss scaling (CUDA); amp: bf16 where the device computes it, "
          "else fp16. config.json's precision_used says which was taken.",
          "precision", "fp32"},
         {"nproc",
          "Data-parallel training in N processes on this machine (a local launcher: each "
          "rank gets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT as torchrun sets them). "
          "--batch is per rank; the learning rate is not rescaled.",
          "N"},
         {"dist-backend",
          "A distributed run's backend: auto (NCCL for CUDA when built with it, else Gloo), "
          "gloo or nccl.",
          "backend", "auto"},
         {"channels-last",
          "Memory layout: on keeps the model's weights and inputs channels-last (NHWC, what "
          "tensor cores want under mixed precision), off keeps them contiguous; auto: on for "
          "CUDA with bf16 or fp16, else as the task chooses. config.json's memory_layout says "
          "which was taken.",
          "auto|on|off", "auto"},
         {"sync-bn",
          "A distributed run's BatchNorm layers normalise with the statistics of the whole "
          "global batch (an all-reduce per layer, forward and backward) instead of each "
          "rank's share."},
         {"dist-timeout",
          "Seconds a distributed run waits for a rank (the rendezvous, a collective) before it "
          "stops with a message naming it.",
          "S", "120"},
         {"inject-fault",
          "For testing: faults to make on purpose, comma-separated: "
          "nan-loss@STEP, nan-grad@STEP, oom@STEP (the retry with half the "
          "batch succeeds), oom-twice@STEP (it fails too), kill-rankR@STEP or "
          "hang-rankR@STEP (a distributed run's rank R dies or hangs).",
          "faults"}});
    Common c;
    const TrainRequest request = trainRequest(p, args, &c);
    const TrainSettings& s = request.settings;

    std::optional<DistSettings> dist;
    try {
        dist = distFromEnvironment();
    } catch (const std::invalid_argument& e) {
        throw CommandError{QString::fromStdString(e.what()), 2};
    }
    const int timeoutS = static_cast<int>(intValue(p, "dist-timeout", 1, 7 * 24 * 3600));
    if (p.isSet("nproc")) {
        const int nproc = static_cast<int>(intValue(p, "nproc", 1, 1024));
        if (dist && dist->distributed()) {
            throw CommandError{QStringLiteral("--nproc starts ranks itself, and this process is "
                                              "already rank %1 of %2 (WORLD_SIZE is set)")
                                   .arg(dist->rank)
                                   .arg(dist->worldSize),
                               2};
        }
        if (nproc > 1) {
            return launchRanks(nproc, args, timeoutS);
        }
    }
    std::shared_ptr<Communicator> group;
    ThreadSetup threads = configureThreads(); // already done; this reports it
    if (dist && dist->distributed()) {
        // The ranks on this machine share its cores.
        threads = configureThreads(std::max(1, usableCpus() / dist->localWorldSize));
        dist->backend = p.value("dist-backend").toStdString();
        dist->timeoutS = timeoutS;
        torch::Device device = resolveDevice(s.device.toStdString());
        if (device.is_cuda()) {
            device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(dist->localRank));
        }
        group = Communicator::join(*dist, device);
    }
    const bool speaks = !group || group->rank() == 0; // the other ranks print only errors
    LoadedData data;
    try {
        if (request.data.isEmpty()) {
            data = loadData(p, c);
        } else {
            data = loadDescribedData(request.data, c.info.video);
            if (speaks) {
                out() << "loaded " << data.label << Qt::endl;
            }
        }
    } catch (const CommandError& e) {
        if (group) { // the others stop too, quoting this rank's reason
            group->settle("loading the data", e.message.toStdString());
        }
        throw;
    } catch (const std::exception& e) {
        if (group) {
            group->settle("loading the data", describeError(e));
        }
        throw;
    }
    if (group) {
        group->settle("loading the data");
        // Every setting that shapes the run (task, backbone, seed, batch, data...) must be
        // the same on every rank; the first that differs is named.
        std::vector<std::pair<std::string, std::string>> fields;
        auto add = [&fields](const QString& name, const QJsonValue& value) {
            // A value as JSON text: 2, rotation, {"count":512,...}.
            const QByteArray wrapped =
                QJsonDocument(QJsonObject{{"v", value}}).toJson(QJsonDocument::Compact);
            fields.emplace_back(name.toStdString(),
                                value.isString()
                                    ? value.toString().toStdString()
                                    : wrapped.mid(5, wrapped.size() - 6).toStdString());
        };
        QJsonObject config = runConfigJson(s, data.description);
        add(QStringLiteral("task"), config.take(QStringLiteral("task")));
        const QJsonObject params = config.take(QStringLiteral("params")).toObject();
        for (auto it = params.begin(); it != params.end(); ++it) {
            add(it.key(), it.value()); // backbone, stem, ...
        }
        add(QStringLiteral("seed"), config.take(QStringLiteral("seed")));
        for (auto it = config.begin(); it != config.end(); ++it) {
            add(it.key(), it.value());
        }
        fields.emplace_back("resume", request.resume ? "yes" : "no");
        group->checkSameConfig(fields);
    }
    SessionOptions options;
    options.settings = s;
    options.settings.faults = p.value("inject-fault");
    options.resume = request.resume;
    options.learningRateGiven = p.isSet("lr"); // else a resume goes on at the rate in force
    options.checkpointEverySteps =
        static_cast<int>(intValue(p, "checkpoint-every", 1, 100'000'000));
    options.group = group;
    std::unique_ptr<TrainingSession> owned;
    std::string setupError;
    try {
        owned = std::make_unique<TrainingSession>(options, data);
    } catch (const std::exception& e) {
        if (!group) {
            throw;
        }
        setupError = describeError(e);
    }
    if (group) {
        group->settle("setting up", setupError); // every rank ready, or all stop
    }
    TrainingSession& session = *owned;
    session.joinGroup();
    if (speaks) {
        out() << (request.resume ? "resuming " : "training ") << s.task << " on "
              << session.deviceName() << " (" << threads.torchThreads << " threads";
        if (group) {
            out() << " per rank; " << QString::fromStdString(group->describe()) << ", global batch "
                  << s.batchSize * s.accumulate * group->worldSize();
        }
        out() << "), run folder " << QDir::toNativeSeparators(session.runDir());
        if (request.resume) {
            out() << ", from step " << session.startStep();
        }
        out() << Qt::endl << "convolutions " << session.routeSummary() << Qt::endl;
        if (const DataStats* stats = session.trainer().dataStats(); stats && !stats->note.empty()) {
            out() << QString::fromStdString(stats->note) << Qt::endl;
        }
        out() << "augmentation: " << session.augmentDescription() << Qt::endl;
    }
    const qint64 every = std::max<qint64>(1, (s.maxSteps - session.startStep()) / 20);
    // "held-out loss 0.031, accuracy 0.410" from the heldout_* metrics of a step.
    auto heldOut = [](const TrainProgress& p) {
        QStringList parts;
        for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it) {
            if (it.key().startsWith(QLatin1String("heldout_"))) {
                parts << QStringLiteral("%1 %2")
                             .arg(it.key().mid(8))
                             .arg(it.value().toDouble(), 0, 'f', 4);
            }
        }
        return parts.isEmpty() ? QString()
                               : QStringLiteral("  held-out: ") + parts.join(QStringLiteral(", "));
    };
    QSet<qint64> memoryAt;
    for (const QString& step : p.value("memory-at").split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        memoryAt.insert(step.trimmed().toLongLong(&ok));
        if (!ok) {
            throw CommandError{
                QStringLiteral("--memory-at wants step numbers separated by commas, not '%1'")
                    .arg(p.value("memory-at")),
                2};
        }
    }
    TrainProgress last;
    QString lastWarning;
    // How to go on from the checkpoint on disk, for a message.
    auto resumeHint = [&]() {
        return session.lastCheckpointStep() >= 0
                   ? QStringLiteral("\nthe checkpoint of step %1 is intact; go on from it: "
                                    "pretext-workbench train --resume %2 --steps %3")
                         .arg(session.lastCheckpointStep())
                         .arg(QDir::toNativeSeparators(session.runDir()))
                         .arg(s.maxSteps)
                   : QString();
    };
    // A GPU run: the most memory the step took on the device, and what the allocator holds.
    const auto gpuMemory = [](const TrainProgress& p) {
        const QVariant peak = p.metrics.value(QStringLiteral("gpu_peak_mb"));
        return peak.isValid()
                   ? QStringLiteral("  GPU peak %1 MB (reserved %2 MB)")
                         .arg(peak.toDouble(), 0, 'f', 0)
                         .arg(p.metrics.value(QStringLiteral("gpu_reserved_mb")).toDouble(), 0, 'f',
                              0)
                   : QString();
    };
    while (!session.reachedMaxSteps()) {
        try {
            last = session.step();
        } catch (const DistError& e) {
            throw CommandError{
                QString::fromStdString(e.what()) + (speaks ? resumeHint() : QString()), 1};
        } catch (const NonFiniteError& e) {
            // Says how to go on: the run folder, a lower rate, its own step target.
            const QString resume =
                session.lastCheckpointStep() >= 0
                    ? QStringLiteral("\ngo on from the checkpoint with a lower rate: "
                                     "pretext-workbench train --resume %1 --lr %2 --steps %3")
                          .arg(QDir::toNativeSeparators(session.runDir()))
                          .arg(e.suggestedLearningRate())
                          .arg(s.maxSteps)
                    : QString();
            throw CommandError{QString::fromStdString(e.what()) + resume, 1};
        } catch (const std::exception& e) {
            if (group) { // the others name this rank and its reason
                group->announceFailure(describeError(e));
            }
            throw;
        }
        if (!speaks) {
            continue;
        }
        if (!last.note.isEmpty()) {
            err() << last.note << Qt::endl;
        }
        if (!last.skippedNote.isEmpty()) {
            err() << last.skippedNote << Qt::endl;
        }
        if (last.evaluated && last.warning != lastWarning) {
            if (!last.warning.isEmpty()) {
                err() << "step " << last.step << ": " << last.warning << Qt::endl;
            }
            lastWarning = last.warning;
        }
        if (last.knnSeconds >= 0.0) {
            out() << QStringLiteral("step %1: k-NN accuracy %2 (random-init encoder %3; %4 s)")
                         .arg(last.step)
                         .arg(last.metrics.value(QStringLiteral("knn_accuracy")).toDouble(), 0, 'f',
                              4)
                         .arg(last.metrics.value(QStringLiteral("knn_random_init")).toDouble(), 0,
                              'f', 4)
                         .arg(last.knnSeconds, 0, 'f', 2)
                  << Qt::endl;
        }
        if (memoryAt.contains(last.step)) {
            out() << QStringLiteral("resident memory at step %1: %2 MB (peak %3 MB)")
                         .arg(last.step)
                         .arg(currentRssMb(), 0, 'f', 1)
                         .arg(peakRssMb(), 0, 'f', 1)
                  << Qt::endl;
        }
        if (last.step % every == 0 || last.step == s.maxSteps) {
            out() << QStringLiteral("step %1/%2  loss %3  %4 %5/s")
                         .arg(last.step)
                         .arg(s.maxSteps)
                         .arg(last.loss, 0, 'f', 5)
                         .arg(last.imagesPerSec, 0, 'f', 1)
                         .arg(c.info.video ? "tuples" : "images")
                  << heldOut(last) << gpuMemory(last) << Qt::endl;
        }
    }
    if (!speaks) {
        return 0;
    }
    if (const QString input = session.pipelineDescription(); !input.isEmpty()) {
        out() << "input: " << input << Qt::endl; // with how long training waited for it
    }
    session.finish();
    out() << QStringLiteral("wrote %1").arg(QDir::toNativeSeparators(session.runDir())) << Qt::endl;
    return 0;
}

} // namespace pretext::headless
