// Pretext Workbench: the GUI, or a headless subcommand (train, preview, bench)
// running the same engine.
#include "GuiBench.h"
#include "Headless.h"
#include "MainWindow.h"
#include "RunReport.h"
#include "Screenshot.h"
#include "StartupTiming.h"
#include "TaskCatalog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>

namespace {

// Headless runs have no desktop session; Qt's note about the missing runtime
// folder (and the offscreen platform's about size hints) is noise in a terminal or a CI log.
void quietMessages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (type == QtWarningMsg &&
        (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR")) ||
         message.contains(QLatin1String("does not support propagateSizeHints")))) {
        return;
    }
    QTextStream(stderr) << qFormatLogMessage(type, context, message) << '\n';
}

void printUsage() {
    QStringList tasks;
    for (const auto& info : pretext::availableTasks()) {
        tasks << QString::fromStdString(info.name);
    }
    QTextStream(stdout)
        << "Usage: pretext-workbench [--demo] [--task NAME] [--param NAME=VALUE]... [--steps N]\n"
           "                         [--config FILE] [--workspace DIR] [--compare] [--train]\n"
           "                         [--follow RUN_DIR]\n"
           "                         [IMAGE_OR_FOLDER_OR_VIDEO...]\n"
           "       pretext-workbench train   --task NAME --data demo|PATH --steps N --out DIR\n"
           "       pretext-workbench train   --config FILE --out DIR [--steps N]\n"
           "       pretext-workbench train   ... --nproc N  (N data-parallel ranks here; or\n"
           "                                 RANK, WORLD_SIZE, MASTER_ADDR/PORT as torchrun sets)\n"
           "       pretext-workbench train   --resume DIR --steps N\n"
           "       pretext-workbench train   --preset ID --out DIR [--steps N]\n"
           "       pretext-workbench presets [TASK]   (the built-in presets, classroom ones "
           "marked)\n"
           "       pretext-workbench shortcuts [ID [--data demo|PATH] [--steps N] [--probe]]\n"
           "                                 (shortcut diagnostics: variants side by side)\n"
           "       pretext-workbench report  RUN_DIR...   (HTML report into RUN_DIR/report/)\n"
           "                                 [--seed S] [--batch B] [--size PX] [--lr RATE]\n"
           "                                 [--device auto|cpu|cuda] [--conv-route "
           "auto|libtorch|fast]\n"
           "                                 [--param NAME=VALUE] [--PARAMETER VALUE]...\n"
           "                                 [--backbone small|resnet18|resnet34|resnet50] "
           "[--init FILE.pt]\n"
           "                                 [--accumulate K] [--precision fp32|bf16]\n"
           "       pretext-workbench preview --task NAME --data demo|PATH --out FILE.png\n"
           "                                 [--seed S] [--PARAMETER VALUE]... [--count N]\n"
           "       pretext-workbench bench   [--task NAME|all] [--size PX] [--batch B] [--steps N] "
           "[--json FILE]\n"
           "       pretext-workbench bench-gui [--seconds N] [--task NAME]   (event-loop latency "
           "while training)\n"
           "       pretext-workbench probe   --run DIR|FILE.pt [--labels fashion-mnist|PATH] "
           "[--train-size N]\n"
           "                                 [--test-size N] [--seed S] [--json FILE]   (linear "
           "probe, JSON)\n"
           "       pretext-workbench knn     --run DIR|FILE.pt [--labels fashion-mnist|PATH] [--k "
           "K] "
           "[--bank N] [--queries N]\n"
           "                                 (weighted k-NN accuracy, JSON)\n"
           "       pretext-workbench embed   --run DIR|FILE.pt [--images fashion-mnist|PATH] "
           "--out map.png|map.csv|features.pt\n"
           "                                 [--method tsne|pca] [--stage S] [--count N]   "
           "(embedding map)\n"
           "       pretext-workbench export  --run DIR|FILE.pt --out encoder.pt [--stage N]   "
           "(for PyTorch)\n"
           "       pretext-workbench saliency --run DIR|FILE.pt [--images demo|PATH] --out "
           "FILE.png\n"
           "                                 [--count N] [--patch P]   (gradient x input, "
           "occlusion)\n"
           "       pretext-workbench --screenshot FILE.png [--task NAME] [--steps N] [--param "
           "NAME=VALUE]...\n"
           "                                 (the window, offscreen, on the demo set after N "
           "steps)\n"
           "\n"
           "Without a subcommand the workbench window opens on the built-in demo set,\n"
           "--preset ID sets it up as a built-in preset does ('presets' lists them, the\n"
           "classroom ones marked), or on the images and folders given; --param sets a task\n"
           "parameter (choices by name, NAME=CHOICE), --steps the run's length, --config loads a "
           "JSON\n"
           "config (a run's config.json or one saved from the File menu), --workspace\n"
           "is the folder of run folders the Runs panel lists and new runs go to,\n"
           "--compare overlays the curves of every run listed there, --train starts\n"
           "training once the data loads, and --follow shows a run folder another process\n"
           "writes, live and read-only. Tasks: "
        << tasks.join(QStringLiteral(", "))
        << ".\n"
           "'SUBCOMMAND --help' lists every option, a task's parameters among them.\n"
           "  -h, --help     Show this help.\n"
           "  -v, --version  Show the version.\n";
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication::setOrganizationName(QStringLiteral("PretextWorkbench"));
    QCoreApplication::setApplicationName(QStringLiteral("pretext-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PRETEXT_VERSION));

    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (first == QLatin1String("--help") || first == QLatin1String("-h")) {
        printUsage();
        return 0;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        QTextStream(stdout) << "pretext-workbench " << PRETEXT_VERSION << "\n";
        return 0;
    }
    if (first == QLatin1String("report")) {
        // Plots are QCustomPlot widgets: a widget application, drawn offscreen.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
        qInstallMessageHandler(quietMessages);
        QApplication app(argc, argv);
        const QStringList dirs = app.arguments().mid(2);
        if (dirs.isEmpty() || dirs.front().startsWith(QLatin1Char('-'))) {
            QTextStream(dirs.value(0) == QLatin1String("--help") ? stdout : stderr)
                << "Usage: pretext-workbench report RUN_DIR...\n"
                   "Writes RUN_DIR/report/report.html (config, final metrics, curves, previews).\n";
            return dirs.value(0) == QLatin1String("--help") ? 0 : 2;
        }
        int failed = 0;
        for (const QString& dir : dirs) {
            QString path, error;
            if (writeRunReport(dir, &path, &error)) {
                QTextStream(stdout) << "wrote " << QDir::toNativeSeparators(path) << "\n";
            } else {
                QTextStream(stderr) << "pretext-workbench report: " << error << "\n";
                ++failed;
            }
        }
        return failed > 0 ? 1 : 0;
    }
    if (first == QLatin1String("bench-gui")) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
        qInstallMessageHandler(quietMessages);
        QApplication app(argc, argv);
        return runGuiBench(app, app.arguments().mid(2));
    }
    if (pretext::isHeadlessCommand(first)) {
        // Headless commands draw sheets with QPainter, which needs a GUI application,
        // but never a display.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
        qInstallMessageHandler(quietMessages);
        QGuiApplication app(argc, argv);
        return pretext::runHeadless(app.arguments());
    }

    // A screenshot is drawn offscreen: no display needed, nothing shown on one.
    for (int i = 1; i < argc; ++i) {
        if (QLatin1String(argv[i]) == QLatin1String("--screenshot")) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
                qputenv("QT_QPA_PLATFORM", "offscreen");
            }
            qInstallMessageHandler(quietMessages);
        }
    }
    QApplication app(argc, argv);
    // The user's language, where there is a translation: Qt's own dialogs and the program's.
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(&qtTranslator);
    }
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("pretext-workbench"), QStringLiteral("_"),
                        QCoreApplication::applicationDirPath() +
                            QStringLiteral("/../share/pretext-workbench/translations"))) {
        QCoreApplication::installTranslator(&translator);
    }
    QIcon icon;
    for (const int px : {16, 22, 24, 32, 48, 64, 128, 256}) {
        icon.addFile(QStringLiteral(":/icons/%1/pretext-workbench.png").arg(px));
    }
    QApplication::setWindowIcon(icon);
    QGuiApplication::setDesktopFileName(QStringLiteral("org.pretextworkbench.PretextWorkbench"));
    QStringList args = app.arguments().mid(1);
    QString task;
    const int taskAt = args.indexOf(QStringLiteral("--task"));
    if (taskAt >= 0) {
        task = args.value(taskAt + 1);
        args.remove(taskAt, std::min<qsizetype>(2, args.size() - taskAt));
    }
    // "--name VALUE" pairs, taken out of the argument list in order.
    auto takeValues = [&args](const QString& option) {
        QStringList values;
        for (int at = args.indexOf(option); at >= 0; at = args.indexOf(option)) {
            values << args.value(at + 1);
            args.remove(at, std::min<qsizetype>(2, args.size() - at));
        }
        return values;
    };
    const QStringList params = takeValues(QStringLiteral("--param"));
    const QStringList steps = takeValues(QStringLiteral("--steps"));
    const QStringList workspace = takeValues(QStringLiteral("--workspace"));
    const QStringList config = takeValues(QStringLiteral("--config"));
    const QStringList preset = takeValues(QStringLiteral("--preset"));
    const QStringList screenshot = takeValues(QStringLiteral("--screenshot"));
    const QStringList follow = takeValues(QStringLiteral("--follow"));
    const bool train = args.removeAll(QStringLiteral("--train")) > 0;
    const bool compare = args.removeAll(QStringLiteral("--compare")) > 0;
    args.removeAll(QStringLiteral("--demo"));
    for (const QString& a : args) {
        if (a.startsWith(QLatin1Char('-'))) {
            QTextStream(stderr) << "pretext-workbench: unknown option " << a
                                << " (see pretext-workbench --help)\n";
            return 2;
        }
    }
    MainWindow window(args);
    if (screenshot.isEmpty()) {
        window.restoreLastOptions(); // the command line's options below go over them
    }
    if (!workspace.isEmpty()) {
        window.setWorkspace(QFileInfo(workspace.back()).absoluteFilePath(),
                            false); // this session only
    }
    if (!config.isEmpty()) {
        QString error;
        if (!window.loadConfig(config.back(), &error)) {
            QTextStream(stderr) << "pretext-workbench: --config: " << error << "\n";
            return 2;
        }
    }
    if (!preset.isEmpty()) {
        QString error;
        if (!window.applyPreset(preset.back(), &error)) {
            QTextStream(stderr) << "pretext-workbench: --preset: " << error
                                << " ('pretext-workbench presets' lists them)\n";
            return 2;
        }
    }
    if (compare) {
        window.compareAllRuns();
    }
    if (!task.isEmpty() && !window.selectTask(task)) {
        QTextStream(stderr) << "pretext-workbench: unknown task '" << task << "'\n";
        return 2;
    }
    for (const QString& p : params) {
        QString error;
        if (!window.applyParam(p, &error)) {
            QTextStream(stderr) << "pretext-workbench: --param " << p << ": " << error << "\n";
            return 2;
        }
    }
    if (!steps.isEmpty()) {
        bool ok = false;
        const int n = steps.back().toInt(&ok);
        if (!ok || n < 0) {
            QTextStream(stderr) << "pretext-workbench: --steps needs a whole number, not '"
                                << steps.back() << "'\n";
            return 2;
        }
        window.setMaxSteps(n);
    }
    if (!follow.isEmpty() && !window.followRun(QFileInfo(follow.back()).absoluteFilePath())) {
        QTextStream(stderr) << "pretext-workbench: --follow " << follow.back()
                            << ": not a run folder (it holds no readable config.json)\n";
        return 2;
    }
    if (!screenshot.isEmpty()) {
        return takeScreenshot(window, screenshot.back(),
                              steps.isEmpty() ? 0 : steps.back().toInt());
    }
    window.setStartWhenLoaded(train);
    reportStartup(window);
    window.show();
    return app.exec();
}
