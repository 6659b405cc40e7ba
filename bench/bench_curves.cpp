// The curve panel's figures: the time to list, load and overlay ten runs of 10,000
// logged steps each, and the replot time of a curve of one million points, against
// QCustomPlot drawing the same points itself (its own adaptive sampling) in this run.
#include "CurveMath.h"
#include "CurvePlot.h"
#include "RunComparison.h"
#include "RunHistory.h"
#include "TaskCatalog.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <qcustomplot.h>

#include <cmath>

namespace {

// A run folder with a config.json and `rows` logged steps (held-out values every 25).
void writeRun(const QString& dir, int rows, int seed) {
    QDir().mkpath(dir + "/previews");
    QFile config(dir + "/config.json");
    config.open(QIODevice::WriteOnly);
    config.write(QStringLiteral(R"({"task": "%1", "device": "cpu", "max_steps": 10000})")
                     .arg(pretext::defaultTask())
                     .toUtf8());
    QFile metrics(dir + "/metrics.csv");
    metrics.open(QIODevice::WriteOnly);
    QByteArray text = "step,wall_time_s,loss,heldout_loss\n";
    for (int i = 1; i <= rows; ++i) {
        const double loss = 0.02 + 0.08 / std::sqrt(i) + 0.004 * std::sin(i * 0.37 + seed);
        text += QByteArray::number(i) + ',' + QByteArray::number(i * 0.05, 'f', 3) + ',' +
                QByteArray::number(loss, 'g', 8) + ',' +
                (i % 25 == 0 ? QByteArray::number(loss * 1.1, 'g', 8) : QByteArray()) + '\n';
    }
    metrics.write(text);
}

double msSince(const QElapsedTimer& t) {
    return t.nsecsElapsed() / 1e6;
}

// A loss-like curve of n logged steps: steps, wall times and values.
struct Curve {
    QVector<double> x, wall, y;
};

Curve makeCurve(int n) {
    Curve c{QVector<double>(n), QVector<double>(n), QVector<double>(n)};
    for (int i = 0; i < n; ++i) {
        c.x[i] = i + 1;
        c.wall[i] = i * 0.01;
        c.y[i] = 0.02 + 0.08 / std::sqrt(i + 1.0) + 0.004 * std::sin(i * 0.37);
    }
    return c;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QTextStream out(stdout);
    const int runs = 10, rows = 10000, points = 1'000'000, replots = 10;

    QTemporaryDir dir;
    for (int r = 0; r < runs; ++r) {
        writeRun(dir.filePath(QStringLiteral("run-%1").arg(r)), rows, r);
    }
    QElapsedTimer t;
    t.start();
    const auto listed = pretext::scanRuns(dir.path());
    const double listMs = msSince(t);
    QStringList paths;
    for (const auto& run : listed) {
        paths << run.path;
    }
    t.restart();
    for (const QString& path : paths) {
        pretext::RunCurves curves;
        QString error;
        pretext::readRunCurves(path + "/metrics.csv", &curves, &error);
    }
    const double readMs = msSince(t);
    RunComparison comparison;
    comparison.resize(900, 500);
    comparison.show();
    app.processEvents();
    t.restart();
    comparison.showRuns(paths); // reads, smooths, decimates, replots
    const double overlayMs = msSince(t);
    t.restart();
    comparison.setMetric(QStringLiteral("heldout_loss"));
    const double switchMs = msSince(t);
    out << QStringLiteral("runs: %1 runs of %2 logged steps\n").arg(runs).arg(rows)
        << QStringLiteral("  list the runs (summaries)  %1 ms\n").arg(listMs, 0, 'f', 1)
        << QStringLiteral("  read the ten metrics.csv   %1 ms\n").arg(readMs, 0, 'f', 1)
        << QStringLiteral("  load and overlay the loss  %1 ms (%2 points drawn of %3)\n")
               .arg(overlayMs, 0, 'f', 1)
               .arg(comparison.plot()->drawnPointCount())
               .arg(runs * rows)
        << QStringLiteral("  switch to held-out loss    %1 ms\n").arg(switchMs, 0, 'f', 1);

    // A hundred thousand points, whole range.
    double hundredKMs = 0;
    {
        const Curve c = makeCurve(100'000);
        CurvePlot plot(QStringLiteral("loss"));
        plot.resize(900, 400);
        plot.show();
        app.processEvents();
        plot.setSeries(QStringLiteral("run"), c.x, c.wall, c.y, Qt::blue);
        plot.redrawNow();
        t.restart();
        for (int i = 0; i < replots; ++i) {
            plot.redrawNow();
        }
        hundredKMs = msSince(t) / replots;
    }
    out << QStringLiteral("curve of 100000 points: replot, whole range  %1 ms\n")
               .arg(hundredKMs, 0, 'f', 2);

    // One million points: ours (decimated to the visible range and width) against
    // QCustomPlot given every point.
    const Curve million = makeCurve(points);
    const QVector<double>&x = million.x, &wall = million.wall, &y = million.y;
    CurvePlot ours(QStringLiteral("loss"));
    ours.resize(900, 400);
    ours.show();
    app.processEvents();
    t.restart();
    ours.setSeries(QStringLiteral("run"), x, wall, y, Qt::blue);
    ours.redrawNow();
    const double firstMs = msSince(t);
    t.restart();
    for (int i = 0; i < replots; ++i) {
        ours.redrawNow();
    }
    const double oursMs = msSince(t) / replots;
    t.restart();
    for (int i = 0; i < replots; ++i) {
        ours.plot()->xAxis->setRange(1000.0 * i, 1000.0 * i + 500000); // a zoomed, moving view
        ours.redrawNow();
    }
    const double zoomMs = msSince(t) / replots;

    QCustomPlot peer;
    peer.resize(900, 400);
    peer.show();
    // The same two lines in the same pens: the raw one faint, the smoothed one solid.
    QColor faint(Qt::blue);
    faint.setAlpha(70);
    peer.addGraph()->setData(x, y, true);
    peer.graph(0)->setPen(QPen(faint, 1));
    peer.addGraph()->setData(x, curves::smoothEma(y, ours.smoothing()), true);
    peer.graph(1)->setPen(QPen(Qt::blue, 2));
    peer.rescaleAxes();
    app.processEvents();
    peer.replot();
    t.restart();
    for (int i = 0; i < replots; ++i) {
        peer.replot();
    }
    const double peerMs = msSince(t) / replots;
    out << QStringLiteral("curve of %1 points (raw and smoothed lines), %2 px wide\n")
               .arg(points)
               .arg(ours.plot()->axisRect()->width())
        << QStringLiteral("  first draw (smooth, decimate, replot)  %1 ms\n")
               .arg(firstMs, 0, 'f', 1)
        << QStringLiteral("  replot, whole range                    %1 ms (%2 points drawn)\n")
               .arg(oursMs, 0, 'f', 2)
               .arg(ours.drawnPointCount())
        << QStringLiteral("  replot, zoomed view moving             %1 ms\n").arg(zoomMs, 0, 'f', 2)
        << QStringLiteral("  QCustomPlot given all points           %1 ms (same lines and pens, "
                          "its own adaptive sampling)\n")
               .arg(peerMs, 0, 'f', 2)
        << QStringLiteral("  ours / QCustomPlot alone               %1x the speed\n")
               .arg(peerMs / oursMs, 0, 'f', 1);
    out.flush();
    return 0;
}
