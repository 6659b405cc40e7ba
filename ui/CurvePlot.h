#pragma once
// Live curves over training steps. Points arrive as often as the engine steps; the
// plot redraws once per ~40 ms tick. Training-batch series get a thin raw line and
// an exponential moving average; "heldout_*" series are drawn as dotted markers.
#include <QMap>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCheckBox;

class CurvePlot : public QWidget {
    Q_OBJECT
public:
    CurvePlot(const QString& valueLabel, bool offerLogScale,
              Qt::Alignment legendCorner = Qt::AlignTop | Qt::AlignRight, QWidget* parent = nullptr);
    void addPoint(const QString& series, double step, double value);
    void setValueLabel(const QString& label);
    void clear();
    // Points received for one series (all series when empty), drawn or pending.
    int pointCount(const QString& series = {}) const;
    QCustomPlot* plot() const { return m_plot; }

private:
    struct Series {
        QCPGraph* raw = nullptr;
        QCPGraph* smooth = nullptr; // training series only
        QVector<double> pendingX, pendingY;
        double ema = 0.0;
        bool hasEma = false;
        int count = 0;
    };
    Series& series(const QString& name);
    void flush();

    QCustomPlot* m_plot = nullptr;
    QCheckBox* m_logScale = nullptr;
    QMap<QString, Series> m_series;
    QTimer m_redraw;
};

// Bars of a histogram that is replaced as a whole (e.g. errors by Hamming distance).
class HistogramPlot : public QWidget {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);
    // `title` says what is counted (the y axis), `axis` what the bins are (the x axis).
    void setHistogram(const QList<double>& counts, const QString& title, const QString& axis,
                      qint64 step);
    void clear();
    QList<double> counts() const { return m_counts; }

private:
    QCustomPlot* m_plot = nullptr;
    class QCPBars* m_bars = nullptr;
    class QCPTextElement* m_title = nullptr;
    QList<double> m_counts;
};
