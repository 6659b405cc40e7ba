#include "LossPlot.h"

#include <QCheckBox>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace {
constexpr double kSmoothing = 0.95; // EMA weight of the past, as TensorBoard's slider
}

LossPlot::LossPlot(QWidget* parent) : QWidget(parent) {
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("lossPlot"));
    m_raw = m_plot->addGraph();
    m_raw->setName(QStringLiteral("loss"));
    m_raw->setPen(QPen(QColor(120, 160, 230, 110), 1));
    m_smooth = m_plot->addGraph();
    m_smooth->setName(QStringLiteral("smoothed"));
    m_smooth->setPen(QPen(QColor(30, 90, 200), 2));
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("loss"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMinimumHeight(160);

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
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_logScale);

    m_redraw.setSingleShot(true);
    m_redraw.setInterval(40);
    connect(&m_redraw, &QTimer::timeout, this, &LossPlot::flush);
}

void LossPlot::addPoint(double step, double loss) {
    m_pendingX.push_back(step);
    m_pendingY.push_back(loss);
    if (!m_redraw.isActive()) {
        m_redraw.start();
    }
}

void LossPlot::flush() {
    if (m_pendingX.isEmpty()) {
        return;
    }
    QVector<double> smooth;
    smooth.reserve(m_pendingY.size());
    for (double y : m_pendingY) {
        m_ema = m_hasEma ? kSmoothing * m_ema + (1 - kSmoothing) * y : y;
        m_hasEma = true;
        smooth.push_back(m_ema);
    }
    m_raw->addData(m_pendingX, m_pendingY, true);
    m_smooth->addData(m_pendingX, smooth, true);
    m_pendingX.clear();
    m_pendingY.clear();
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::clear() {
    m_raw->data()->clear();
    m_smooth->data()->clear();
    m_pendingX.clear();
    m_pendingY.clear();
    m_hasEma = false;
    m_plot->replot();
}

int LossPlot::pointCount() const { return m_raw->dataCount() + static_cast<int>(m_pendingX.size()); }
