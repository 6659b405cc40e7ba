#pragma once
// Past runs as their folders hold them: the curves of metrics.csv, a one-line
// summary per run for the runs list, and the saved previews over steps. Reads only;
// the GUI's run list, overlays, preview slider and reports all come from here.
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QVector>

namespace pretext {

struct RunCurves {
    QVector<double> steps;
    QVector<double> wallS;
    QVector<double> loss;
    // Every other column, NaN where a row left it empty (held-out values come now and then).
    QMap<QString, QVector<double>> metrics;
    int rows() const { return static_cast<int>(steps.size()); }
};

// Parses metrics.csv; a row cut off at the end (a killed run) is ignored.
bool readRunCurves(const QString& metricsCsv, RunCurves* curves, QString* error);

struct RunSummary {
    QString path;
    QString name; // the folder's name
    QString task;
    QString device;
    QDateTime started; // from config.json's file time
    qint64 steps = 0;  // rows logged
    qint64 maxSteps = 0;
    double lastLoss = qQNaN();
    double bestLoss = qQNaN(); // of the held-out loss when the run has one, else the batch loss
    qint64 bestStep = 0;
    bool bestIsHeldOut = false;
    bool hasCheckpoint = false;
    QString problem; // why the folder could not be read, when it could not
};

RunSummary summarizeRun(const QString& dir);
// The run folders directly under `workspace` (folders with a config.json), newest first.
QList<RunSummary> scanRuns(const QString& workspace);
// The saved previews of a run, by step.
QMap<qint64, QString> runPreviews(const QString& dir);

} // namespace pretext
