#pragma once
// Curves over training steps, live or from past runs, with what people expect from
// TensorBoard and its peers: a smoothing slider (debiased exponential moving average)
// with the raw curve kept faint behind, log-scale y, x as step or wall time, box zoom
// (drag; Shift+drag pans, wheel zooms, double-click resets), a view that follows the
// newest point until the user zooms, the best value as text, and exports. Each series
// keeps all its points; what is drawn is decimated to the visible range and the
// plot's width, keeping each bucket's minimum and maximum. Redraws are batched on a
// ~40 ms timer however often points arrive.
#include "CurveMath.h"

#include <QColor>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <memory>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPTextElement;
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

class CurvePlot : public QWidget {
    Q_OBJECT
public:
    CurvePlot(const QString& valueLabel, Qt::Alignment legendCorner = Qt::AlignTop | Qt::AlignRight,
              QWidget* parent = nullptr);
    ~CurvePlot() override;

    // One live point. Series named "heldout_*" are sparse evaluations, drawn as markers;
    // others are batch values, drawn raw (faint) and smoothed.
    void addPoint(const QString& series, double step, double wallS, double value);
    // A whole series at once (a past run's curve), raw and smoothed, in `color`.
    void setSeries(const QString& name, const QVector<double>& steps, const QVector<double>& wallS,
                   const QVector<double>& values, const QColor& color);
    void setValueLabel(const QString& label);
    void clear();
    // Points received for one series (all series when empty).
    int pointCount(const QString& series = {}) const;
    QStringList seriesNames() const;

    void setSmoothing(double weight); // 0 (none) to 0.99
    double smoothing() const { return m_smoothing; }
    void setLogScale(bool on);
    bool logScale() const;
    void setWallTimeAxis(bool on);
    bool wallTimeAxis() const { return m_wallTime; }
    // Shows every point and follows new ones again.
    void resetView();
    bool isFollowing() const { return m_follow; }
    // "best loss 0.0123 at step 850", one line per judged series.
    QString bestText() const;
    // Points handed to the plot at the last redraw, after decimation.
    int drawnPointCount() const { return m_drawnPoints; }
    // Redraws at once instead of at the next tick (tests, benchmarks, exports).
    void redrawNow();

    // series,step,wall_time_s,value,smoothed — every point, not the decimated ones.
    bool exportCsv(const QString& path, QString* error) const;
    // PNG or PDF by the file's suffix, at the widget's size or `size` when given.
    bool exportImage(const QString& path, QString* error, QSize size = {});
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    // Plots draw their own colours: they follow a change of palette (View ▸ Appearance).
    void changeEvent(QEvent* event) override;

private:
    // One curve: every point received, its smoothed values, and the graphs drawing them.
    struct Series {
        QString name;
        QString label; // legend text
        bool heldOut = false;
        QColor color;
        QVector<double> steps, wallS, values, smoothed;
        curves::MinMaxPyramid valuesLod, smoothedLod; // for drawing long curves fast
        curves::Ema ema;
        QCPGraph* raw = nullptr;
        QCPGraph* smooth = nullptr; // batch series only
    };
    Series& series(const QString& name);
    Series& addSeries(const QString& name, const QColor& color, bool heldOut);
    // Recomputes a batch series' smoothed curve at the current weight.
    void resmooth(Series& s) const;
    void scheduleRedraw();
    void redraw();
    void setFollowing(bool on);
    const QVector<double>& xOf(const Series& s) const;

    QCustomPlot* m_plot = nullptr;
    QCPTextElement* m_bestLabel = nullptr;
    QSlider* m_smoothSlider = nullptr;
    QLabel* m_smoothValue = nullptr;
    QCheckBox* m_logScale = nullptr;
    QComboBox* m_xAxis = nullptr;
    std::vector<std::unique_ptr<Series>> m_series;
    double m_smoothing = 0.8; // batch losses are noisy step to step
    bool m_wallTime = false;
    bool m_follow = true;
    bool m_settingRange = false;
    int m_drawnPoints = 0;
    int m_widthOverride = 0; // px to decimate for while exporting, 0: the plot's own
    QTimer m_redraw;
};
