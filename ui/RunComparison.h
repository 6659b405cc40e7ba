#pragma once
// Curves of several past runs overlaid, each in its colour, named in the legend; one
// column of their metrics.csv at a time (loss, held-out loss, accuracy...).
#include "RunHistory.h"

#include <QWidget>

class CurvePlot;
class QComboBox;
class QLabel;

class RunComparison : public QWidget {
    Q_OBJECT
public:
    explicit RunComparison(QWidget* parent = nullptr);
    // Reads the runs' metrics.csv (once; Refresh in the Runs panel reads them again) and
    // overlays the chosen column; the columns offered are those the runs have.
    void showRuns(const QStringList& runPaths);
    QStringList runs() const { return m_runs; }
    void setMetric(const QString& column);
    QString metric() const;
    CurvePlot* plot() const { return m_plot; }

private:
    struct Loaded {
        QString name;
        pretext::RunCurves curves;
        QString error; // why its metrics.csv could not be read
    };
    void draw();
    QString placeholder() const;

    QStringList m_runs;
    QList<Loaded> m_loaded;
    QComboBox* m_metric = nullptr;
    QLabel* m_note = nullptr;
    CurvePlot* m_plot = nullptr;
};

// The colour of the n-th run of a comparison (ten well-separated colours).
QColor runColor(int index);
