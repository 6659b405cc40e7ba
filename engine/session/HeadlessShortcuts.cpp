// `pretext-workbench shortcuts`: the window's Shortcuts tab without the window. Lists
// the built-in diagnostics, or trains one's variants side by side (on the demo set, or
// on --data) and prints each variant's held-out figures and, with --probe, its probe.
#include "HeadlessCommon.h"

#include "DiagnosticWorker.h"
#include "Presets.h"
#include "RunFolder.h"
#include "tasks/Registry.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace pretext::headless {

namespace {
struct VariantFigures {
    qint64 step = 0;
    double loss = -1.0;
    double accuracy = -1.0;
    double probe = -1.0;
    double randomProbe = -1.0;
};

QString figure(double v, int decimals) {
    return v < 0 ? QStringLiteral("-") : QString::number(v, 'f', decimals);
}
} // namespace

int shortcutsCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Shortcut diagnostics: runs that differ in one switch (each task declares its own in its "
        "presets.json), trained side by side, one step of each in turn, each into its own run "
        "folder.\n"
        "  shortcuts                      list the diagnostics\n"
        "  shortcuts ID [options]         train the variants of one and print their figures");
    p.addHelpOption();
    p.addPositionalArgument("id", "The diagnostic to run.", "[id]");
    p.addOptions(
        {{"data",
          "'demo' (the diagnostic's own demo set), or images, a folder, videos or IDX data as for "
          "'train' (repeatable), loaded at the diagnostic's size.",
          "path", "demo"},
         {"steps", "Steps of each variant.", "N", "800"},
         {"workspace", "Folder the run folders go into.", "dir", defaultRunsWorkspace()},
         {"probe", "Then the linear probe of each encoder (Fashion-MNIST)."},
         {"probe-train", "Probe: labelled training images.", "N", "2000"},
         {"probe-test", "Probe: test images.", "N", "1000"},
         {"stride", "Videos: keep every Nth frame.", "N", "1"},
         {"budget-mb", "Videos and IDX data: memory budget, in MB.", "MB", "512"},
         {"max-megapixels", "Largest image or video frame loaded.", "MP",
          QString::number(kDefaultMaxMegapixels)},
         {"decode-threads", "Image files: decode threads (0: half the CPUs).", "N", "0"},
         {"pipeline", "Image files and videos: auto, cache or stream.", "mode", "auto"},
         {"cache-mb", "Image files: memory for decoded images, in MB.", "MB", "512"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    const QString id = p.positionalArguments().value(0);
    if (id.isEmpty()) {
        for (const ShortcutDiagnostic& d : builtInDiagnostics()) {
            out() << d.id.leftJustified(24) << " " << d.title << "\n    "
                  << d.labels.join(QStringLiteral("  vs  ")) << Qt::endl;
        }
        return 0;
    }
    const ShortcutDiagnostic* diagnostic = findDiagnostic(id);
    if (diagnostic == nullptr) {
        throw CommandError{
            QStringLiteral("unknown diagnostic '%1'; 'pretext-workbench shortcuts' lists them")
                .arg(id),
            2};
    }
    const qint64 steps = intValue(p, "steps", 1, 10'000'000);
    QJsonObject data; // empty: the diagnostic's own
    DiagnosticWorker worker;
    if (p.values("data") != QStringList{QStringLiteral("demo")}) {
        // Loaded here, at the diagnostic's size, to report what was found (and refuse what
        // holds nothing); the worker trains on them as loaded.
        Common c;
        c.task = diagnostic->variants.front().settings.task;
        c.info = makeTask(c.task.toStdString())->info();
        c.sizePx = diagnostic->variants.front().data.value(QStringLiteral("size_px")).toInt(32);
        auto loaded = std::make_unique<LoadedData>(loadData(p, c));
        data = loaded->description;
        worker.useLoadedData(std::move(loaded));
    }

    std::vector<VariantFigures> figures(static_cast<size_t>(diagnostic->variants.size()));
    QStringList runDirs;
    QString reason;
    QEventLoop loop;
    QObject::connect(&worker, &DiagnosticWorker::started,
                     [&](const QStringList&, const QStringList& dirs) {
                         runDirs = dirs;
                         out() << "training " << diagnostic->labels.join(QStringLiteral(" and "))
                               << " side by side, " << steps << " steps each" << Qt::endl;
                     });
    QObject::connect(
        &worker, &DiagnosticWorker::progress, [&](int variant, const TrainProgress& progress) {
            VariantFigures& f = figures[static_cast<size_t>(variant)];
            f.step = progress.step;
            if (progress.metrics.contains(QStringLiteral("heldout_loss"))) {
                f.loss = progress.metrics.value(QStringLiteral("heldout_loss")).toDouble();
                f.accuracy =
                    progress.metrics.value(QStringLiteral("heldout_accuracy"), -1.0).toDouble();
            }
        });
    QObject::connect(&worker, &DiagnosticWorker::probeStarted, [&](int variant) {
        out() << "probing " << diagnostic->labels.value(variant) << Qt::endl;
    });
    QObject::connect(&worker, &DiagnosticWorker::probed,
                     [&](int variant, double accuracy, double random, double) {
                         figures[static_cast<size_t>(variant)].probe = accuracy;
                         figures[static_cast<size_t>(variant)].randomProbe = random;
                     });
    QObject::connect(&worker, &DiagnosticWorker::errorOccurred,
                     [](const QString& message) { err() << message << Qt::endl; });
    QObject::connect(&worker, &DiagnosticWorker::finished, [&](const QString& r) {
        reason = r;
        loop.quit();
    });
    worker.run(id, steps, p.value("workspace"), p.isSet("probe"),
               static_cast<int>(intValue(p, "probe-train", 10, 60000)),
               static_cast<int>(intValue(p, "probe-test", 10, 10000)), data);
    if (reason.isEmpty()) {
        loop.exec();
    }
    if (reason != QLatin1String("finished")) {
        return 1;
    }
    out() << "variant                          step  held-out loss  accuracy  probe  random "
             "encoder  run"
          << Qt::endl;
    for (int i = 0; i < diagnostic->labels.size(); ++i) {
        const VariantFigures& f = figures[static_cast<size_t>(i)];
        out() << diagnostic->labels[i].leftJustified(32) << " "
              << QString::number(f.step).rightJustified(5) << "  "
              << figure(f.loss, 4).rightJustified(13) << "  "
              << figure(f.accuracy, 3).rightJustified(8) << "  "
              << figure(f.probe, 3).rightJustified(5) << "  "
              << figure(f.randomProbe, 3).rightJustified(14) << "  "
              << QDir::toNativeSeparators(runDirs.value(i)) << Qt::endl;
    }
    return 0;
}

} // namespace pretext::headless
