#pragma once
// Curves of several past runs overlaid, each in its colour, named in the legend; one
// column of their metrics.csv at a time (loss, held-out loss, accuracy...).
#include <QWidget>

class CurvePlot;
class QComboBox;
class QLabel;

class RunComparison : public QWidget {
    Q_OBJECT
public:
    explicit RunComparison(QWidget* parent = nullptr);
    // Reads the runs' metrics.csv and overlays the chosen column; the list of columns
    // offered is what the runs have.
    void showRuns(const QStringList& runPaths);
    QStringList runs() const { return m_runs; }
    void setMetric(const QString& column);
    QString metric() const;
    CurvePlot* plot() const { return m_plot; }

private:
    void draw();

    QStringList m_runs;
    QComboBox* m_metric = nullptr;
    QLabel* m_note = nullptr;
    CurvePlot* m_plot = nullptr;
};

// The colour of the n-th run of a comparison (ten well-separated colours).
QColor runColor(int index);
