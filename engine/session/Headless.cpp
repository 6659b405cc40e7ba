#include "Headless.h"

#include "Bench.h"
#include "ColorPeer.h"
#include "DataSource.h"
#include "DemoData.h"
#include "Errors.h"
#include "ImageSheet.h"
#include "Preview.h"
#include "TaskCatalog.h"
#include "Threads.h"
#include "TrainingSession.h"
#include "tasks/Registry.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>
#include <torch/torch.h>

namespace pretext {

namespace {

QTextStream& out() {
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err() {
    static QTextStream stream(stderr);
    return stream;
}

// An error for a person, turned into a message and an exit code at the top.
struct CommandError {
    QString message;
    int exitCode = 1;
};

struct Common {
    QString task;
    ParamValues params;
    TaskInfo info;
    quint64 seed = 1;
    int sizePx = 64;
};

void addCommonOptions(QCommandLineParser& p) {
    p.addHelpOption();
    p.addOptions({
        {"task", "Pretext task: " + [] {
             QStringList names;
             for (const auto& n : taskNames()) {
                 names << QString::fromStdString(n);
             }
             return names.join(", ");
         }(), "name", "inpainting"},
        {"data", "'demo' for the built-in set, or an image file or folder (repeatable).", "path",
         "demo"},
        {"seed", "Random seed.", "S", "1"},
        {"size", "Training image size in pixels.", "px", "64"},
        {"mask", "Inpainting mask: center, blocks, freeform, patches.", "type"},
        {"grid", "Jigsaw grid N (N x N tiles, 2 to 4).", "N"},
        {"perms", "Jigsaw permutation set size |P|.", "K"},
        {"head", "Jigsaw head: perm (one class per permutation) or position.", "head"},
        {"mode", "Colorization mode: regression (MSE on a and b) or classes (ab bins).", "mode"},
        {"param", "Task parameter override name=value (repeatable).", "name=value"},
    });
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
        throw CommandError{QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().front()), 2};
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
        throw CommandError{QStringLiteral("--size must be a multiple of 8 (the encoder halves it three times), not %1").arg(c.sizePx), 2};
    }
    QStringList overrides;
    // Shorthand options for common parameters; each must belong to the chosen task.
    for (const char* name : {"mask", "grid", "perms", "head", "mode"}) {
        if (p.isSet(name)) {
            overrides << QStringLiteral("%1=%2").arg(QLatin1String(name), p.value(name));
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
        return loadDemoData(c.sizePx, c.seed);
    }
    LoadedData data = loadImageFiles(sources, c.sizePx);
    for (const auto& s : data.skipped) {
        err() << "skipped " << s.path << ": " << s.reason << Qt::endl;
    }
    if (data.images.size(0) == 0) {
        const QString why = data.skipped.isEmpty()
                                ? QStringLiteral("no image files (png, jpg, jpeg, bmp, webp, tif, tiff) found in %1")
                                      .arg(sources.join(QStringLiteral(", ")))
                                : QStringLiteral("no image could be loaded from %1")
                                      .arg(sources.join(QStringLiteral(", ")));
        throw CommandError{why, 1};
    }
    out() << "loaded " << data.images.size(0) << " images at " << c.sizePx << " px";
    if (!data.skipped.isEmpty()) {
        out() << " (" << data.skipped.size() << " skipped)";
    }
    out() << Qt::endl;
    return data;
}

int trainCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Train a pretext task and write its run folder.");
    addCommonOptions(p);
    p.addOptions({{"steps", "Training steps.", "N", "200"},
                  {"out", "Run folder to write (must not hold a run already).", "dir"},
                  {"batch", "Batch size.", "B", "32"},
                  {"lr", "Learning rate (Adam); default: the task's own.", "rate"},
                  {"device", "auto, cpu or cuda.", "device", "auto"}});
    const Common c = parseCommon(p, args);
    if (!p.isSet("out")) {
        throw CommandError{QStringLiteral("train needs --out DIR, the run folder to write"), 2};
    }
    TrainSettings s;
    s.task = c.task;
    s.params = toVariantMap(c.params);
    s.seed = c.seed;
    s.maxSteps = intValue(p, "steps", 1, 100'000'000);
    s.batchSize = static_cast<int>(intValue(p, "batch", 1, 4096));
    bool ok = true;
    s.learningRate = p.isSet("lr") ? p.value("lr").toDouble(&ok) : c.info.learningRate;
    if (!ok || s.learningRate <= 0 || s.learningRate > 10) {
        throw CommandError{QStringLiteral("--lr must be a positive number, not '%1'").arg(p.value("lr")), 2};
    }
    s.device = p.value("device");
    if (s.device != "auto" && s.device != "cpu" && s.device != "cuda") {
        throw CommandError{QStringLiteral("--device must be auto, cpu or cuda, not '%1'").arg(s.device), 2};
    }
    s.runDir = p.value("out");

    const ThreadSetup threads = configureThreads(); // already done; this reports it
    LoadedData data = loadData(p, c);
    SessionOptions options;
    options.settings = s;
    TrainingSession session(options, data);
    out() << "training " << c.task << " on " << session.deviceName() << " ("
          << threads.torchThreads << " threads), run folder " << QDir::toNativeSeparators(session.runDir())
          << Qt::endl;
    if (const DataStats* stats = session.trainer().dataStats(); stats && !stats->note.empty()) {
        out() << QString::fromStdString(stats->note) << Qt::endl;
    }
    const qint64 every = std::max<qint64>(1, s.maxSteps / 20);
    // "held-out loss 0.031, accuracy 0.410" from the heldout_* metrics of a step.
    auto heldOut = [](const TrainProgress& p) {
        QStringList parts;
        for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it) {
            if (it.key().startsWith(QLatin1String("heldout_"))) {
                parts << QStringLiteral("%1 %2").arg(it.key().mid(8)).arg(it.value().toDouble(), 0, 'f', 4);
            }
        }
        return parts.isEmpty() ? QString() : QStringLiteral("  held-out: ") + parts.join(QStringLiteral(", "));
    };
    TrainProgress last;
    while (!session.reachedMaxSteps()) {
        last = session.step();
        if (last.step % every == 0 || last.step == s.maxSteps) {
            out() << QStringLiteral("step %1/%2  loss %3  %4 images/s")
                         .arg(last.step)
                         .arg(s.maxSteps)
                         .arg(last.loss, 0, 'f', 5)
                         .arg(last.imagesPerSec, 0, 'f', 1)
                  << heldOut(last) << Qt::endl;
        }
    }
    session.finish();
    out() << QStringLiteral("wrote %1").arg(QDir::toNativeSeparators(session.runDir())) << Qt::endl;
    return 0;
}

int previewCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Write a sheet of generated pretext samples.");
    addCommonOptions(p);
    p.addOptions({{"out", "PNG file to write.", "file.png"},
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
    const QImage sheet = renderSheet(grid, QStringLiteral("%1, seed %2").arg(c.task).arg(c.seed));
    const QString path = p.value("out");
    if (!sheet.save(path, "PNG")) {
        throw CommandError{QStringLiteral("%1 could not be written").arg(path), 1};
    }
    out() << "wrote " << QDir::toNativeSeparators(path) << " (" << n << " samples)" << Qt::endl;
    return 0;
}

int benchCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription("Measure sample generation and training throughput.");
    addCommonOptions(p);
    p.addOptions({{"steps", "Timed training steps.", "N", "30"},
                  {"batch", "Batch size.", "B", "32"},
                  {"device", "auto, cpu or cuda.", "device", "auto"}});
    const Common c = parseCommon(p, args);
    BenchOptions o;
    o.task = c.task.toStdString();
    o.params = c.params;
    o.sizePx = c.sizePx;
    o.batchSize = intValue(p, "batch", 1, 4096);
    o.steps = intValue(p, "steps", 1, 100000);
    o.device = p.value("device").toStdString();
    o.seed = c.seed;
    out() << QString::fromStdString(formatBench(o, runBench(o))) << Qt::flush;
    if (c.task == QLatin1String("colorization")) {
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
    return 0;
}

} // namespace

bool isHeadlessCommand(const QString& word) {
    return word == QLatin1String("train") || word == QLatin1String("preview") ||
           word == QLatin1String("bench");
}

int runHeadless(const QStringList& args) {
    configureThreads();
    // QCommandLineParser wants the program name first; drop the subcommand word.
    QStringList rest = args;
    const QString command = rest.takeAt(1);
    try {
        if (command == QLatin1String("train")) {
            return trainCommand(rest);
        }
        if (command == QLatin1String("preview")) {
            return previewCommand(rest);
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
