#pragma once
// Live loss curve: raw points and an exponential moving average. Points arrive
// as often as the engine steps; the plot redraws once per ~40 ms tick.
#include <QTimer>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCheckBox;

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);
    void addPoint(double step, double loss);
    void clear();
    int pointCount() const;
    QCustomPlot* plot() const { return m_plot; }

private:
    void flush();

    QCustomPlot* m_plot = nullptr;
    QCPGraph* m_raw = nullptr;
    QCPGraph* m_smooth = nullptr;
    QCheckBox* m_logScale = nullptr;
    QVector<double> m_pendingX, m_pendingY;
    double m_ema = 0.0;
    bool m_hasEma = false;
    QTimer m_redraw;
};
