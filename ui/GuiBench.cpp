#include "GuiBench.h"

#include "CurvePlot.h"

#include "MainWindow.h"
#include <qcustomplot.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cmath>

EventLoopProbe::EventLoopProbe(int intervalMs, QObject* parent)
    : QObject(parent), m_intervalMs(intervalMs) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopProbe::tick);
}

void EventLoopProbe::start() {
    m_lateMs.clear();
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void EventLoopProbe::stop() {
    m_timer.stop();
}

void EventLoopProbe::tick() {
    const qint64 now = m_clock.nsecsElapsed();
    m_lateMs.push_back(std::max(0.0, (now - m_lastNs) / 1e6 - m_intervalMs));
    m_lastNs = now;
}

double EventLoopProbe::maxLateMs() const {
    return m_lateMs.isEmpty() ? 0.0 : *std::max_element(m_lateMs.begin(), m_lateMs.end());
}

double EventLoopProbe::percentileLateMs(double p) const {
    if (m_lateMs.isEmpty()) {
        return 0.0;
    }
    QVector<double> sorted = m_lateMs;
    std::sort(sorted.begin(), sorted.end());
    const auto at = static_cast<qsizetype>(std::ceil(p / 100.0 * sorted.size())) - 1;
    return sorted[std::clamp<qsizetype>(at, 0, sorted.size() - 1)];
}

namespace {
// Steps logged in the run folder's metrics.csv (one row per step after the header).
int loggedSteps(const QString& workspace) {
    int steps = 0;
    for (const QFileInfo& run : QDir(workspace).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(run.filePath() + QStringLiteral("/metrics.csv"));
        if (f.open(QIODevice::ReadOnly)) {
            steps = std::max(steps, static_cast<int>(f.readAll().count('\n')) - 1);
        }
    }
    return steps;
}
} // namespace

int runGuiBench(QApplication& app, const QStringList& args) {
    QTextStream out(stdout), err(stderr);
    double seconds = 20;
    QString task;
    QStringList params;
    for (int i = 0; i < args.size(); ++i) {
        const QString value = args.value(i + 1);
        if (args[i] == QLatin1String("--seconds") && !value.isEmpty()) {
            seconds = value.toDouble();
        } else if (args[i] == QLatin1String("--task") && !value.isEmpty()) {
            task = value;
        } else if (args[i] == QLatin1String("--param") && !value.isEmpty()) {
            params << value;
        } else if (args[i] == QLatin1String("--help")) {
            out << "Usage: pretext-workbench bench-gui [--seconds N] [--task NAME] [--param "
                   "NAME=VALUE]...\n"
                   "Trains on the demo set in the window (offscreen unless QT_QPA_PLATFORM says\n"
                   "otherwise) and measures how late a 10 ms timer fires meanwhile.\n";
            return 0;
        } else {
            err << "pretext-workbench bench-gui: unknown option " << args[i] << "\n";
            return 2;
        }
        ++i;
    }
    if (!(seconds > 0)) {
        err << "pretext-workbench bench-gui: --seconds needs a positive number\n";
        return 2;
    }
    QTemporaryDir workspace; // the run folder goes here, not among the user's runs
    MainWindow window;
    window.setWorkspace(workspace.path(), false);
    if (!task.isEmpty() && !window.selectTask(task)) {
        err << "pretext-workbench bench-gui: unknown task '" << task << "'\n";
        return 2;
    }
    for (const QString& p : params) {
        QString error;
        if (!window.applyParam(p, &error)) {
            err << "pretext-workbench bench-gui: --param " << p << ": " << error << "\n";
            return 2;
        }
    }
    window.setMaxSteps(0);
    window.setStartWhenLoaded(true);
    window.resize(1400, 900);
    window.show();

    EventLoopProbe probe(10);
    QElapsedTimer trained;
    int startSteps = 0;
    QTimer watch;
    bool measuring = false;
    QObject::connect(&watch, &QTimer::timeout, [&] {
        if (!measuring && window.engineState() == pretext::EngineState::Running) {
            measuring = true;
            startSteps = loggedSteps(workspace.path());
            trained.start();
            probe.start();
            QTimer::singleShot(static_cast<int>(seconds * 1000), [&] {
                probe.stop();
                const double elapsed = trained.nsecsElapsed() / 1e9;
                const int steps = loggedSteps(workspace.path()) - startSteps;
                window.stopTraining();
                out << QStringLiteral("GUI under load: %1 s of training in the window (%2, %3x%4, "
                                      "platform %5)\n")
                           .arg(elapsed, 0, 'f', 1)
                           .arg(task.isEmpty() ? QStringLiteral("the window's task") : task)
                           .arg(window.width())
                           .arg(window.height())
                           .arg(QGuiApplication::platformName())
                    << QStringLiteral("  training              %1 steps, %2 steps/s\n")
                           .arg(steps)
                           .arg(steps / elapsed, 0, 'f', 2)
                    << QStringLiteral("  10 ms heartbeat       %1 ticks; late by max %2 ms, 99th "
                                      "percentile %3 ms, median %4 ms\n")
                           .arg(probe.ticks())
                           .arg(probe.maxLateMs(), 0, 'f', 1)
                           .arg(probe.percentileLateMs(99), 0, 'f', 1)
                           .arg(probe.percentileLateMs(50), 0, 'f', 2)
                    << QStringLiteral("  live loss curve       %1 points, replot %2 ms "
                                      "(QCustomPlot's average)\n")
                           .arg(window.lossPlot()->pointCount())
                           .arg(window.lossPlot()->plot()->replotTime(true), 0, 'f', 1)
                    << Qt::flush;
                QTimer::singleShot(500, &app, &QApplication::quit);
            });
        }
    });
    watch.start(20);
    QTimer::singleShot(static_cast<int>(seconds * 1000) + 120000, &app, [&] {
        err << "pretext-workbench bench-gui: training did not start within two minutes\n";
        app.exit(1);
    });
    return app.exec();
}
