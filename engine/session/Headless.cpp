#include "Headless.h"
#include "HeadlessCommon.h"

#include "Bench.h"
#include "ColorPeer.h"
#include "ConvRoutes.h"
#include "DataSource.h"
#include "DemoData.h"
#include "DemoVideo.h"
#include "Errors.h"
#include "Handout.h"
#include "ImageSheet.h"
#include "Memory.h"
#include "Precision.h"
#include "Preview.h"
#include "RunConfig.h"
#include "TaskCatalog.h"
#include "Threads.h"
#include "TrainingSession.h"
#include "VideoLoader.h"
#include "tasks/Registry.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <torch/torch.h>

namespace pretext {
namespace headless {

QTextStream& out() {
    static QTextStream stream(stdout);
    return stream;
}

// Resident memory now and at its peak (VmRSS, VmHWM), in MB.
double procStatusMb(const char* key) {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return 0.0;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(key)) {
            return line.mid(static_cast<int>(qstrlen(key)))
                       .trimmed()
                       .split(' ')
                       .front()
                       .toDouble() /
                   1024.0;
        }
    }
    return 0.0;
}
double currentRssMb() {
    return procStatusMb("VmRSS:");
}
double peakRssMb() {
    return procStatusMb("VmHWM:");
}

QTextStream& err() {
    static QTextStream stream(stderr);
    return stream;
}

void addCommonOptions(QCommandLineParser& p) {
    p.addHelpOption();
    p.addOptions({
        {"task",
         "Pretext task: " +
             [] {
                 QStringList names;
                 for (const auto& n : taskNames()) {
                     names << QString::fromStdString(n);
                 }
                 return names.join(", ");
             }(),
         "name", QString::fromStdString(defaultTaskName())},
        {"data",
         "'demo' for the built-in set (images and a video), an image file or folder, "
         "a video file (repeatable; videos or images, not both), or 'fashion-mnist' or a "
         "folder of MNIST-layout IDX files (training images, labels not used).",
         "path", "demo"},
        {"seed", "Random seed.", "S", "1"},
        {"size", "Training image size in pixels.", "px", "64"},
        {"stride", "Videos: keep every Nth frame.", "N", "1"},
        {"budget-mb",
         "Videos and IDX data: memory for the frames or images kept decoded, in MB (videos "
         "over it are read clip by clip).",
         "MB", "512"},
        {"max-megapixels",
         "Largest image or video frame loaded (from the file's header, before decoding).", "MP",
         QString::number(kDefaultMaxMegapixels)},
        {"decode-threads",
         "Image files and videos: threads that decode and augment while training runs (0: "
         "half the CPUs).",
         "N", "0"},
        {"pipeline",
         "Image files and videos: auto (decoded once and kept when the set fits --cache-mb, "
         "videos --budget-mb), cache or stream (decoded from the files as needed, videos clip "
         "by clip; memory does not grow with the set).",
         "mode", "auto"},
        {"cache-mb", "Image files: memory for decoded images that auto may use, in MB.", "MB",
         "512"},
        {"param", "Task parameter override name=value (repeatable).", "name=value"},
    });
    // A shorthand for every whole-number and choice parameter of the registered tasks
    // (--mask freeform is --param mask=freeform), described by the tasks themselves.
    for (const auto& shorthand : paramShorthands()) {
        p.addOption({shorthand.option, shorthand.description, shorthand.valueName});
    }
}

std::vector<ParamShorthand> paramShorthands() {
    std::vector<ParamShorthand> out;
    // Names the commands use for options of their own.
    const QStringList taken = {"task",
                               "data",
                               "seed",
                               "size",
                               "stride",
                               "budget-mb",
                               "max-megapixels",
                               "param",
                               "steps",
                               "batch",
                               "lr",
                               "device",
                               "out",
                               "help",
                               "json",
                               "threads",
                               "config",
                               "preset",
                               "resume",
                               "count",
                               "handout",
                               "labels",
                               "run",
                               "probe",
                               "workspace",
                               "augment",
                               "pipeline",
                               "decode-threads",
                               "cache-mb",
                               "monitor",
                               "monitor-every"};
    for (const TaskInfo& info : taskInfos()) {
        for (const ParamSpec& spec : info.params) {
            if (spec.kind == ParamSpec::Kind::Real || spec.display) {
                continue;
            }
            const QString option =
                QString::fromStdString(spec.name).replace(QLatin1Char('_'), QLatin1Char('-'));
            if (taken.contains(option)) {
                continue;
            }
            QString text =
                QString::fromStdString(info.title) + ": " + QString::fromStdString(spec.label);
            if (!spec.choices.empty()) {
                QStringList choices;
                for (const auto& c : spec.choices) {
                    choices << QString::fromStdString(c);
                }
                text += " (" + choices.join(", ") + ")";
            } else {
                text += QStringLiteral(" (%1 to %2)").arg(spec.minValue).arg(spec.maxValue);
            }
            auto same = std::find_if(out.begin(), out.end(),
                                     [&](const ParamShorthand& s) { return s.option == option; });
            if (same == out.end()) {
                out.push_back(
                    {option, QString::fromStdString(spec.name), text + ".",
                     spec.choices.empty() ? QStringLiteral("N") : QStringLiteral("choice")});
            } else {
                same->description.chop(1);
                same->description += "; " + text + ".";
            }
        }
    }
    return out;
}

qint64 intValue(const QCommandLineParser& p, const QString& name, qint64 lo, qint64 hi) {
    bool ok = false;
    const qint64 v = p.value(name).toLongLong(&ok);
    if (!ok || v < lo || v > hi) {
        throw CommandError{QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'")
                               .arg(name)
                               .arg(lo)
                               .arg(hi)
                               .arg(p.value(name)),
                           2};
    }
    return v;
}

Common parseCommon(QCommandLineParser& p, const QStringList& args) {
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (!p.positionalArguments().isEmpty()) {
        throw CommandError{
            QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().front()), 2};
    }
    Common c;
    c.task = p.value("task");
    auto task = makeTask(c.task.toStdString());
    if (!task) {
        throw CommandError{QStringLiteral("unknown task '%1'").arg(c.task), 2};
    }
    c.info = task->info();
    c.seed = static_cast<quint64>(intValue(p, "seed", 0, std::numeric_limits<qint64>::max()));
    c.sizePx = static_cast<int>(intValue(p, "size", 16, 512));
    if (c.sizePx % 8 != 0) {
        throw CommandError{
            QStringLiteral(
                "--size must be a multiple of 8 (the encoder halves it three times), not %1")
                .arg(c.sizePx),
            2};
    }
    QStringList overrides;
    // Shorthand options for task parameters; each must belong to the chosen task.
    for (const auto& shorthand : paramShorthands()) {
        if (p.optionNames().contains(shorthand.option)) {
            overrides << QStringLiteral("%1=%2").arg(shorthand.param, p.value(shorthand.option));
        }
    }
    overrides << p.values("param");
    for (const QString& o : overrides) {
        QString error;
        if (!applyParamOverride(c.info, o, c.params, &error)) {
            throw CommandError{error, 2};
        }
    }
    return c;
}

LoadedData loadData(const QCommandLineParser& p, const Common& c) {
    const QStringList sources = p.values("data");
    if (sources.size() == 1 && sources.front() == QLatin1String("demo")) {
        return loadDemoData(c.sizePx, c.seed, 0, c.info.video); // headless: one task, known
    }
    if (sources.size() == 1 && isIdxData(sources.front())) {
        LoadedData data = loadIdxImages(sources.front(), c.sizePx, c.seed,
                                        static_cast<int>(intValue(p, "budget-mb", 1, 1 << 20)));
        for (const auto& note : data.notes) {
            out() << note << Qt::endl;
        }
        out() << "loaded " << data.label << " at " << c.sizePx << " px" << Qt::endl;
        return data;
    }
    const int videos = static_cast<int>(std::count_if(sources.begin(), sources.end(), isVideoPath));
    if (videos > 0 && videos < sources.size()) {
        throw CommandError{QStringLiteral("--data takes video files or images, not both"), 2};
    }
    ImagePipelineSettings pipeline;
    pipeline.decodeThreads = static_cast<int>(intValue(p, "decode-threads", 0, 256));
    pipeline.cacheBudgetMb = static_cast<int>(intValue(p, "cache-mb", 0, 1 << 20));
    pipeline.mode = p.value("pipeline");
    if (pipeline.mode != "auto" && pipeline.mode != "cache" && pipeline.mode != "stream") {
        throw CommandError{
            QStringLiteral("--pipeline must be auto, cache or stream, not '%1'").arg(pipeline.mode),
            2};
    }
    if (videos > 0) {
        VideoLoadSettings settings{c.sizePx, static_cast<int>(intValue(p, "stride", 1, 10000)),
                                   static_cast<int>(intValue(p, "budget-mb", 1, 1 << 20)),
                                   static_cast<int>(intValue(p, "max-megapixels", 1, 4000))};
        settings.mode = pipeline.mode;
        settings.decodeThreads = pipeline.decodeThreads;
        LoadedData data = loadVideoFiles(sources, settings);
        for (const auto& s : data.skipped) {
            err() << "skipped " << s.path << ": " << s.reason << Qt::endl;
        }
        for (const auto& note : data.notes) {
            out() << note << Qt::endl;
        }
        if (!data.video) {
            throw CommandError{QStringLiteral("no video could be loaded from %1")
                                   .arg(sources.join(QStringLiteral(", "))),
                               1};
        }
        out() << "loaded " << data.video->frameCount() << " frames of " << data.video->videoCount()
              << " video(s) at " << c.sizePx << " px" << Qt::endl;
        return data;
    }
    LoadedData data = loadImageFiles(
        sources, c.sizePx, {}, static_cast<int>(intValue(p, "max-megapixels", 1, 4000)), pipeline);
    for (const auto& s : data.skipped) {
        err() << "skipped " << s.path << ": " << s.reason << Qt::endl;
    }
    if (data.count == 0) {
        const QString why =
            data.skipped.isEmpty()
                ? QStringLiteral(
                      "no image files (png, jpg, jpeg, bmp, webp, tif, tiff) found in %1")
                      .arg(sources.join(QStringLiteral(", ")))
                : QStringLiteral("no image could be loaded from %1")
                      .arg(sources.join(QStringLiteral(", ")));
        throw CommandError{why, 1};
    }
    out() << "loaded " << data.count << " images at " << c.sizePx << " px";
    if (!data.skipped.isEmpty()) {
        out() << " (" << data.skipped.size() << " skipped)";
    }
    out() << Qt::endl;
    for (const auto& note : data.notes) {
        out() << note << Qt::endl;
    }
    return data;
}

// The options only a fresh run takes; --resume and --config bring their own.
int previewCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Write a sheet of generated pretext samples.");
    addCommonOptions(p);
    p.addOptions({{"out", "PNG file to write; a .pdf path writes a printable handout.", "file.png"},
                  {"handout", "Write a printable A4 handout (title, loss, settings, samples): PDF "
                              "or PNG by the --out path's ending."},
                  {"count", "Number of samples.", "N", "8"}});
    const Common c = parseCommon(p, args);
    if (!p.isSet("out")) {
        throw CommandError{QStringLiteral("preview needs --out FILE.png"), 2};
    }
    const int count = static_cast<int>(intValue(p, "count", 1, 64));
    LoadedData data = loadData(p, c);
    const auto task = makeTask(c.task.toStdString());
    const ImageGrid grid = makePreview(*task, data, c.params, c.seed, count);
    if (!grid.note.isEmpty()) {
        out() << grid.note << Qt::endl;
    }
    if (!grid.dataNote.isEmpty()) {
        out() << grid.dataNote << Qt::endl;
    }
    if (grid.isEmpty()) {
        throw CommandError{QStringLiteral("no sample could be made: %1").arg(grid.dataNote), 1};
    }
    const int n = static_cast<int>(grid.rows.size());
    const QString path = p.value("out");
    if (p.isSet("handout") || path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        QString error;
        if (!writeHandout(grid, handoutText(c.info, toVariantMap(c.params), c.seed, grid.note),
                          path, &error)) {
            throw CommandError{error, 1};
        }
        out() << "wrote " << QDir::toNativeSeparators(path) << " (handout, " << n << " samples)"
              << Qt::endl;
        return 0;
    }
    const QImage sheet = renderSheet(grid, QStringLiteral("%1, seed %2").arg(c.task).arg(c.seed));
    if (!sheet.save(path, "PNG")) {
        throw CommandError{QStringLiteral("%1 could not be written").arg(path), 1};
    }
    out() << "wrote " << QDir::toNativeSeparators(path) << " (" << n << " samples)" << Qt::endl;
    return 0;
}

namespace {
// The arguments with --task's value replaced, for running one task of "--task all".
QStringList withTask(QStringList args, const QString& task) {
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--task") && i + 1 < args.size()) {
            args[i + 1] = task;
        } else if (args[i].startsWith(QLatin1String("--task="))) {
            args[i] = QStringLiteral("--task=") + task;
        }
    }
    return args;
}

QString taskArgument(const QStringList& args) {
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--task") && i + 1 < args.size()) {
            return args[i + 1];
        }
        if (args[i].startsWith(QLatin1String("--task="))) {
            return args[i].mid(7);
        }
    }
    return QString::fromStdString(defaultTaskName());
}

void printLabPeer(const Common& c) {
    // The colour conversion has a peer: OpenCV's, on the same pixels, in this run.
    const auto t = io::timeLabConversion(makeDemoImages(kDemoImageCount, c.sizePx, c.seed));
    out() << QStringLiteral("  sRGB -> Lab (CPU)       %1 Mpx/s; OpenCV cvtColor %2 Mpx/s "
                            "(ours / OpenCV = %3, %4 Mpx per pass)\n")
                 .arg(t.oursMpxPerSec, 0, 'f', 1)
                 .arg(t.openCvMpxPerSec, 0, 'f', 1)
                 .arg(t.oursMpxPerSec / t.openCvMpxPerSec, 0, 'f', 2)
                 .arg(t.megapixels, 0, 'f', 1)
          << Qt::flush;
}
} // namespace

BenchOptions benchOptions(const QCommandLineParser& p, const Common& c) {
    BenchOptions o;
    o.task = c.task.toStdString();
    o.params = c.params;
    o.sizePx = c.sizePx;
    o.batchSize = intValue(p, "batch", 1, 4096);
    o.steps = intValue(p, "steps", 1, 100000);
    o.warmupSteps = intValue(p, "warmup", 0, 1000);
    o.device = p.value("device").toStdString();
    o.seed = c.seed;
    o.keepFreedMemory = !p.isSet("malloc-defaults");
    o.convRoute = p.value("conv-route").toStdString();
    o.precision = p.value("precision").toStdString();
    if (!knownPrecision(o.precision)) {
        throw CommandError{QStringLiteral("--precision must be fp32, bf16, fp16 or amp, not '%1'")
                               .arg(p.value("precision")),
                           2};
    }
    if (!parseRouteMode(o.convRoute)) {
        throw CommandError{QStringLiteral("--conv-route must be auto, libtorch or fast, not '%1'")
                               .arg(p.value("conv-route")),
                           2};
    }
    return o;
}

int benchCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Measure sample generation and training throughput, the model's "
                                "FLOPs and the machine's ceiling (--task all: every task).");
    addCommonOptions(p);
    p.addOptions(
        {{"steps", "Timed training steps.", "N", "30"},
         {"warmup", "Untimed steps before each timed block.", "N", "3"},
         {"batch", "Batch size.", "B", "32"},
         {"device", "auto, cpu or cuda.", "device", "auto"},
         {"threads", "Torch intra-op threads (0: every core).", "N", "0"},
         {"blas-threads",
          "BLAS pool size (0: leave it as the library and the "
          "environment set it).",
          "N", "1"},
         {"json", "Also write the figures as JSON to FILE.", "FILE"},
         {"no-ceiling", "Skip measuring the machine's convolution and matrix ceiling."},
         {"no-loaders", "Skip the video-decoding and colour-conversion figures."},
         {"per-tensor-adam", "Train with LibTorch's Adam, one parameter tensor at a time "
                             "(the same numbers; to measure the multi-tensor one against)."},
         {"malloc-defaults",
          "Leave the C library's allocator as found (glibc: freed blocks "
          "returned and mapped again; to measure the program's setting against)."},
         {"conv-route",
          "How convolutions choose their route: auto (each layer timed, the "
          "fastest kept), libtorch (LibTorch's own kernels, as PyTorch runs "
          "them) or fast (the program's CPU routes wherever they apply).",
          "route", "auto"},
         {"conv-rounds",
          "After the model step, R rounds of it with the chosen convolution routes "
          "and then LibTorch's own, in this process (0: none).",
          "R", "0"},
         {"precision", "fp32, bf16, fp16 (CUDA) or amp, as train's --precision.", "precision",
          "fp32"},
         {"video-frames", "Video tasks: frames of the long video written and decoded.", "N",
          "3000"},
         {"embedding",
          "Measure the embedding map instead of training: PCA and t-SNE of clustered "
          "features (beside scikit-learn's t-SNE when installed) and neighbour queries."},
         {"map-points", "--embedding: points mapped.", "N", "2000"},
         {"neighbour-bank", "--embedding: features searched by each neighbour query.", "N",
          "50000"},
         {"nproc",
          "Measure data-parallel training: N local ranks (Gloo) against one process with the "
          "same global batch on the same cores; --batch is per rank.",
          "N"},
         {"dist-worker", "Internal: one rank of bench --nproc."}});
    if (args.contains(QStringLiteral("--nproc")) ||
        args.contains(QStringLiteral("--dist-worker"))) {
        if (!p.parse(args)) {
            throw CommandError{p.errorText(), 2};
        }
        return benchDataParallel(p, args);
    }
    if (args.contains(QStringLiteral("--embedding"))) {
        if (!p.parse(args)) {
            throw CommandError{p.errorText(), 2};
        }
        configureThreads(static_cast<int>(intValue(p, "threads", 0, 4096)),
                         static_cast<int>(intValue(p, "blas-threads", 0, 4096)));
        configureMemory(!p.isSet("malloc-defaults"));
        benchEmbedding(p);
        return 0;
    }
    const QString choice = taskArgument(args);
    const auto names = benchTasks(choice.toStdString());
    BenchOptions o;
    std::vector<BenchResult> results;
    MachineCeiling ceiling;
    bool haveCeiling = false;
    PipelineFigures pipeline;
    for (const auto& name : names) {
        const Common c = parseCommon(p, withTask(args, QString::fromStdString(name)));
        // Image files given with --data: the input pipeline is measured too.
        const QStringList dataArg = p.values("data");
        const bool imageFiles =
            !(dataArg.isEmpty() || dataArg == QStringList{QStringLiteral("demo")}) &&
            !(dataArg.size() == 1 && isIdxData(dataArg.front())) &&
            std::none_of(dataArg.begin(), dataArg.end(), isVideoPath);
        o = benchOptions(p, c);
        o.task = name;
        o.torchThreads = static_cast<int>(intValue(p, "threads", 0, 4096));
        o.blasThreads = static_cast<int>(intValue(p, "blas-threads", 0, 4096));
        o.perTensorAdam = p.isSet("per-tensor-adam");
        o.convRounds = intValue(p, "conv-rounds", 0, 1000);
        if (!haveCeiling && !p.isSet("no-ceiling")) {
            configureThreads(o.torchThreads, o.blasThreads);
            configureMemory(o.keepFreedMemory);
            ceiling = measureCeiling(o.device);
            haveCeiling = true;
            out() << QString::fromStdString(formatCeiling(ceiling)) << Qt::flush;
        }
        const bool loaders = !p.isSet("no-loaders");
        if (c.info.video && loaders) {
            benchVideoDecoding(p, c); // first, so the peak memory it reports is the loader's
        }
        if (imageFiles && !c.info.video && pipeline.files == 0) {
            pipeline = benchPipeline(p, c, static_cast<int>(o.batchSize));
        }
        results.push_back(runBench(o));
        out() << QString::fromStdString(
                     formatBench(o, results.back(), haveCeiling ? &ceiling : nullptr))
              << Qt::flush;
        if (!c.info.video) {
            printPipelineRatio(pipeline, name, results.back().trainImagesPerSec);
        }
        // Peers a task asks to be measured against (TaskInfo::benchPeers).
        const auto& peers = c.info.benchPeers;
        if (loaders && std::find(peers.begin(), peers.end(), "lab-color") != peers.end()) {
            printLabPeer(c);
        }
    }
    if (p.isSet("json")) {
        QFile file(p.value("json"));
        const std::string json = benchJson(o, results, haveCeiling ? &ceiling : nullptr);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(json.data(), static_cast<qint64>(json.size())) !=
                static_cast<qint64>(json.size())) {
            throw CommandError{QStringLiteral("%1 could not be written: %2")
                                   .arg(p.value("json"), file.errorString()),
                               1};
        }
        out() << "wrote " << QDir::toNativeSeparators(p.value("json")) << Qt::endl;
    }
    return 0;
}

} // namespace headless

using namespace headless;

bool isHeadlessCommand(const QString& word) {
    return word == QLatin1String("train") || word == QLatin1String("preview") ||
           word == QLatin1String("bench") || word == QLatin1String("probe") ||
           word == QLatin1String("knn") || word == QLatin1String("embed") ||
           word == QLatin1String("export") || word == QLatin1String("saliency") ||
           word == QLatin1String("presets") || word == QLatin1String("shortcuts");
}

int runHeadless(const QStringList& args) {
    // QCommandLineParser wants the program name first; drop the subcommand word.
    QStringList rest = args;
    const QString command = rest.takeAt(1);
    if (command != QLatin1String("bench")) {
        configureThreads(); // the benchmark sets the pools and malloc as its options say
        configureMemory();
    }
    try {
        if (command == QLatin1String("train")) {
            return trainCommand(rest);
        }
        if (command == QLatin1String("preview")) {
            return previewCommand(rest);
        }
        if (command == QLatin1String("probe")) {
            return probeCommand(rest);
        }
        if (command == QLatin1String("knn")) {
            return knnCommand(rest);
        }
        if (command == QLatin1String("export")) {
            return exportCommand(rest);
        }
        if (command == QLatin1String("embed")) {
            return embedCommand(rest);
        }
        if (command == QLatin1String("saliency")) {
            return saliencyCommand(rest);
        }
        if (command == QLatin1String("presets")) {
            return presetsCommand(rest);
        }
        if (command == QLatin1String("shortcuts")) {
            return shortcutsCommand(rest);
        }
        return benchCommand(rest);
    } catch (const CommandError& e) {
        if (e.exitCode == 0) {
            out() << e.message << Qt::flush;
            return 0;
        }
        err() << "pretext-workbench " << command << ": " << e.message << Qt::endl;
        if (e.exitCode == 2) {
            err() << "see 'pretext-workbench " << command << " --help'" << Qt::endl;
        }
        return e.exitCode;
    } catch (const std::exception& e) {
        err() << "pretext-workbench " << command << ": " << QString::fromStdString(describeError(e))
              << Qt::endl;
        return 1;
    }
}

} // namespace pretext
