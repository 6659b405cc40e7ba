#include "CurvePlot.h"

#include <QCheckBox>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace {
constexpr double kSmoothing = 0.95; // EMA weight of the past, as TensorBoard's slider

bool isHeldOut(const QString& name) { return name.startsWith(QLatin1String("heldout_")); }

QString displayName(const QString& name) {
    return isHeldOut(name) ? QObject::tr("held-out %1").arg(name.mid(8).replace('_', ' '))
                           : QObject::tr("%1 (batches)").arg(QString(name).replace('_', ' '));
}

// Training series in blues, held-out ones in oranges, in order of appearance.
QColor seriesColor(bool heldOut, int index) {
    static const QColor train[] = {QColor(30, 90, 200), QColor(40, 150, 120), QColor(120, 80, 180)};
    static const QColor held[] = {QColor(230, 120, 20), QColor(200, 50, 60), QColor(160, 120, 0)};
    return heldOut ? held[index % 3] : train[index % 3];
}
} // namespace

CurvePlot::CurvePlot(const QString& valueLabel, bool offerLogScale, Qt::Alignment legendCorner,
                     QWidget* parent)
    : QWidget(parent) {
    m_plot = new QCustomPlot(this);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(valueLabel);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, legendCorner);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMinimumHeight(140);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    if (offerLogScale) {
        m_logScale = new QCheckBox(tr("Log scale"), this);
        connect(m_logScale, &QCheckBox::toggled, this, [this](bool on) {
            m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
            if (on) {
                m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
            } else {
                m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
            }
            m_plot->rescaleAxes();
            m_plot->replot();
        });
        layout->addWidget(m_logScale);
    }
    m_redraw.setSingleShot(true);
    m_redraw.setInterval(40);
    connect(&m_redraw, &QTimer::timeout, this, &CurvePlot::flush);
}

void CurvePlot::setValueLabel(const QString& label) {
    m_plot->yAxis->setLabel(label);
    m_plot->replot();
}

CurvePlot::Series& CurvePlot::series(const QString& name) {
    auto it = m_series.find(name);
    if (it != m_series.end()) {
        return *it;
    }
    const bool heldOut = isHeldOut(name);
    int index = 0;
    for (auto s = m_series.cbegin(); s != m_series.cend(); ++s) {
        index += isHeldOut(s.key()) == heldOut;
    }
    const QColor color = seriesColor(heldOut, index);
    Series s;
    s.raw = m_plot->addGraph();
    s.raw->setName(displayName(name));
    if (heldOut) {
        s.raw->setPen(QPen(color, 1.5));
        s.raw->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 5));
    } else {
        QColor faint = color;
        faint.setAlpha(90);
        s.raw->setPen(QPen(faint, 1));
        s.smooth = m_plot->addGraph();
        s.smooth->setName(tr("%1, smoothed").arg(QString(name).replace('_', ' ')));
        s.smooth->setPen(QPen(color, 2));
    }
    return *m_series.insert(name, s);
}

void CurvePlot::addPoint(const QString& name, double step, double value) {
    Series& s = series(name);
    s.pendingX.push_back(step);
    s.pendingY.push_back(value);
    ++s.count;
    if (!m_redraw.isActive()) {
        m_redraw.start();
    }
}

void CurvePlot::flush() {
    for (Series& s : m_series) {
        if (s.pendingX.isEmpty()) {
            continue;
        }
        if (s.smooth) {
            QVector<double> smooth;
            smooth.reserve(s.pendingY.size());
            for (double y : s.pendingY) {
                s.ema = s.hasEma ? kSmoothing * s.ema + (1 - kSmoothing) * y : y;
                s.hasEma = true;
                smooth.push_back(s.ema);
            }
            s.smooth->addData(s.pendingX, smooth, true);
        }
        s.raw->addData(s.pendingX, s.pendingY, true);
        s.pendingX.clear();
        s.pendingY.clear();
    }
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CurvePlot::clear() {
    m_plot->clearGraphs();
    m_series.clear();
    m_plot->replot();
}

int CurvePlot::pointCount(const QString& name) const {
    int n = 0;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        if (name.isEmpty() || it.key() == name) {
            n += it->count;
        }
    }
    return n;
}

HistogramPlot::HistogramPlot(QWidget* parent) : QWidget(parent) {
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(140);
    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setPen(QPen(QColor(200, 50, 60)));
    m_bars->setBrush(QColor(230, 120, 20, 170));
    m_bars->setWidth(0.8);
    m_plot->plotLayout()->insertRow(0);
    m_title = new QCPTextElement(m_plot, QString(), QFont(font().family(), 9));
    m_plot->plotLayout()->addElement(0, 0, m_title);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void HistogramPlot::setHistogram(const QList<double>& counts, const QString& title,
                                 const QString& axis, qint64 step) {
    m_counts = counts;
    m_plot->xAxis->setLabel(axis);
    m_plot->yAxis->setLabel(title);
    QVector<double> x, y;
    for (int i = 0; i < counts.size(); ++i) {
        x << i;
        y << counts[i];
    }
    m_bars->setData(x, y);
    m_title->setText(tr("%1, step %2").arg(title).arg(step));
    m_title->setVisible(!title.isEmpty());
    m_plot->xAxis->setRange(-0.6, counts.size() - 0.4);
    double top = 1.0;
    for (double c : counts) {
        top = std::max(top, c);
    }
    m_plot->yAxis->setRange(0, top * 1.1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramPlot::clear() {
    m_counts.clear();
    m_bars->data()->clear();
    m_title->setText(QString());
    m_plot->replot();
}
