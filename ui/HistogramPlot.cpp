#include "HistogramPlot.h"

#include "Appearance.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

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
    stylePlot(m_plot, palette());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void HistogramPlot::setHistogram(const QList<double>& counts, const QString& title,
                                 const QString& axis, qint64 step, const QStringList& labels) {
    m_counts = counts;
    m_plot->xAxis->setLabel(axis);
    m_plot->yAxis->setLabel(title);
    QVector<double> x, y;
    for (int i = 0; i < counts.size(); ++i) {
        x << i;
        y << counts[i];
    }
    m_bars->setData(x, y);
    if (labels.size() == counts.size() && !labels.isEmpty()) {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        ticker->addTicks(x, QVector<QString>(labels.begin(), labels.end()));
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setTickLabelRotation(
            labels.size() > 6 ? -40 : 0); // many names: slanted, not overlapping
    } else if (m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>()) {
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_plot->xAxis->setTickLabelRotation(0);
    }
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

void HistogramPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        stylePlot(m_plot, palette());
    }
    QWidget::changeEvent(event);
}
