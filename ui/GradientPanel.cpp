#include "GradientPanel.h"

#include "Appearance.h"
#include "ImageGridView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace {
QString sci(double v) {
    return v == 0.0 ? QStringLiteral("0") : QString::number(v, 'e', 2);
}

QColor layerColor(int i, int n) {
    return QColor::fromHsvF(std::fmod(0.61 * i, 1.0), 0.75, 0.85 - 0.25 * (i % 2) * (n > 8));
}
} // namespace

GradientPanel::GradientPanel(QWidget* parent) : QWidget(parent) {
    m_sample = new QSpinBox;
    m_sample->setObjectName(QStringLiteral("inspectSample"));
    m_sample->setRange(0, 0);
    m_sample->setToolTip(tr("Which sample of the batch to show. Paused, a change inspects the last "
                            "batch again at once."));
    connect(m_sample, qOverload<int>(&QSpinBox::valueChanged), this, &GradientPanel::sampleChanged);
    m_check = new QLabel(tr("Train, or pause and step, to check a batch's gradient."));
    m_check->setObjectName(QStringLiteral("gradientCheck"));
    m_check->setWordWrap(true);
    m_check->setTextFormat(Qt::RichText);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Sample")));
    top->addWidget(m_sample);
    top->addWidget(m_check, 1);

    m_images = new ImageGridView;
    m_images->setObjectName(QStringLiteral("gradientImages"));
    m_images->setPlaceholder(tr("The prediction and the heat map of ∂L/∂x̂ appear here."));
    m_classes = new QCustomPlot;
    m_classes->setObjectName(QStringLiteral("classPlot"));
    m_bars = new QCPBars(m_classes->xAxis, m_classes->yAxis);
    m_bars->setWidth(0.8);
    m_truth = new QCPBars(m_classes->xAxis, m_classes->yAxis);
    m_truth->setWidth(0.8);
    m_truth->setName(tr("true class"));
    m_bars->setName(tr("predicted probability"));
    m_classes->yAxis->setLabel(tr("p (softmax)"));
    m_classes->yAxis->setRange(0, 1.05);
    m_caption = new QLabel;
    m_caption->setWordWrap(true);
    auto* classBox = new QWidget;
    auto* classLayout = new QVBoxLayout(classBox);
    classLayout->setContentsMargins(0, 0, 0, 0);
    classLayout->addWidget(m_classes, 1);
    classLayout->addWidget(m_caption);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_images);
    m_stack->addWidget(classBox);

    m_norms = new QCustomPlot;
    m_norms->setObjectName(QStringLiteral("layerNormPlot"));
    m_norms->setMinimumHeight(160);
    m_norms->xAxis->setLabel(tr("step"));
    m_norms->yAxis->setLabel(tr("‖∂L/∂θ‖ per layer"));
    m_norms->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_norms->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    m_norms->yAxis->setNumberFormat(QStringLiteral("eb"));
    m_norms->yAxis->setNumberPrecision(0);
    m_norms->legend->setVisible(true);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.75);
    m_norms->legend->setFont(small);
    m_norms->legend->setRowSpacing(-3);
    // The legend beside the plot, not over the curves: many layers.
    m_norms->plotLayout()->addElement(0, 1, m_norms->legend);
    m_norms->plotLayout()->setColumnStretchFactor(1, 0.001);
    m_norms->legend->setMargins(QMargins(4, 2, 4, 2));
    m_norms->setToolTip(
        tr("Vanishing gradients show as a layer's curve falling by decades; exploding "
           "ones as a curve shooting up before the loss turns NaN."));

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_stack);
    split->addWidget(m_norms);
    split->setSizes({260, 240});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    // The per-layer plot is redrawn at most 10 times a second, and only while shown.
    m_redraw.setInterval(100);
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, &GradientPanel::redrawNorms);
    restyle();
}

int GradientPanel::sample() const {
    return m_sample->value();
}

void GradientPanel::showInspection(const pretext::InspectionView& in) {
    if (in.isEmpty()) {
        return;
    }
    {
        const QSignalBlocker block(m_sample);
        m_sample->setRange(0, std::max(0, in.rows - 1));
        m_sample->setValue(in.sample);
    }
    const bool agree = in.maxAbsDifference <= 1e-5 * std::max(in.maxAbsGradient, 1e-30);
    m_check->setText(tr("Step %1, %2 samples. Autograd against the closed form: max |difference| = "
                        "<b>%3</b> over every entry (largest |gradient| %4) %5")
                         .arg(in.step)
                         .arg(in.rows)
                         .arg(sci(in.maxAbsDifference), sci(in.maxAbsGradient),
                              agree ? tr("<span style=\"color:#2a9d3a\">&#10003; agree</span>")
                                    : tr("<span style=\"color:#d03030\">&#10007; differ</span>")));
    if (in.isImageForm()) {
        pretext::ImageGrid grid;
        grid.columnTitles = in.columnTitles;
        QList<QImage> row = in.columns;
        if (!in.heatMap.isNull()) {
            // The class colorization's output is logits over ab bins, at a quarter of the size.
            grid.columnTitles << (in.form == QLatin1String("soft-classes") ? tr("|∂L/∂ẑ|, Σ bins")
                                                                           : tr("|∂L/∂x̂|"));
            row << in.heatMap;
        }
        grid.rows << row;
        grid.step = in.step;
        m_images->setGrid(grid);
        m_stack->setCurrentIndex(0);
    } else {
        showClasses(in);
        m_stack->setCurrentIndex(1);
    }
}

void GradientPanel::showClasses(const pretext::InspectionView& in) {
    QVector<double> x, y, tx, ty;
    for (int i = 0; i < in.probabilities.size(); ++i) {
        if (i == in.trueClass) {
            tx << i;
            ty << in.probabilities[i];
        } else {
            x << i;
            y << in.probabilities[i];
        }
    }
    // Positions: one bar per position, each its true tile's probability.
    const bool positions = in.form == QLatin1String("positions");
    if (positions) {
        tx = x;
        ty = y;
        x.clear();
        y.clear();
    }
    m_bars->setData(x, y);
    m_truth->setData(tx, ty);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int n = in.labels.size();
    const int every = std::max(1, n / 24); // many permutations: label every k-th
    for (int i = 0; i < n; i += every) {
        ticker->addTick(i, in.labels[i]);
    }
    if (in.trueClass >= 0 && in.trueClass < n && in.trueClass % every != 0) {
        ticker->addTick(in.trueClass, in.labels[in.trueClass]);
    }
    m_classes->xAxis->setTicker(ticker);
    m_classes->xAxis->setTickLabelRotation(n > 8 ? -60 : 0);
    m_classes->xAxis->setLabel(positions ? tr("position: probability of its true tile")
                                         : tr("class"));
    m_classes->xAxis->setRange(-0.6, n - 0.4);
    const double chance = n > 0 && !positions ? 1.0 / n : 0.0;
    m_caption->setText(
        tr("Sample %1%2: p(truth) = %3, −log p = %4%5. Batch mean of −log p(truth) = %6 "
           "(the loss).")
            .arg(in.sample)
            .arg(in.truthCaption.isEmpty() ? QString() : QStringLiteral(", ") + in.truthCaption)
            .arg(in.trueProbability, 0, 'g', 3)
            .arg(in.negLogTrue, 0, 'g', 3)
            .arg(chance > 0 ? tr("; chance %1").arg(chance, 0, 'g', 3) : QString())
            .arg(in.meanNegLogTrue, 0, 'g', 4));
    m_classes->replot(QCustomPlot::rpQueuedReplot);
}

void GradientPanel::showProgress(const pretext::TrainProgress& p) {
    if (p.layerNorms.isEmpty()) {
        return;
    }
    if (p.layerNames != m_layers) {
        m_norms->clearGraphs();
        m_layers = p.layerNames;
        for (int i = 0; i < m_layers.size(); ++i) {
            QCPGraph* g = m_norms->addGraph();
            g->setName(m_layers[i]);
            g->setPen(QPen(layerColor(i, m_layers.size()), 1.4));
            g->setAdaptiveSampling(true);
            g->setAntialiased(false); // many noisy curves: plain lines draw several times faster
        }
    }
    for (int i = 0; i < p.layerNorms.size() && i < m_norms->graphCount(); ++i) {
        const double norm = p.layerNorms[i];
        // A log axis cannot show 0 (a layer without gradient this step): left out.
        if (std::isfinite(norm) && norm > 0.0) {
            m_norms->graph(i)->addData(static_cast<double>(p.step), norm);
            m_low = std::min(m_low, norm);
            m_high = std::max(m_high, norm);
        }
    }
    m_lastStep = p.step;
    m_normsDirty = true;
    if (!m_redraw.isActive()) {
        m_redraw.start();
    }
}

void GradientPanel::redrawNorms() {
    if (!m_normsDirty || !m_norms->isVisible()) {
        return; // drawn when shown (showEvent)
    }
    m_normsDirty = false;
    m_norms->xAxis->setRange(0, std::max<double>(1.0, static_cast<double>(m_lastStep)));
    if (m_high > 0.0) {
        m_norms->yAxis->setRange(m_low / 2.0, m_high * 2.0);
    }
    m_norms->replot();
}

void GradientPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    redrawNorms();
}

void GradientPanel::clear() {
    m_norms->clearGraphs();
    m_layers.clear();
    m_low = INFINITY;
    m_high = 0.0;
    m_lastStep = 0;
    m_norms->replot();
    m_bars->data()->clear();
    m_truth->data()->clear();
    m_images->setGrid({});
    m_check->setText(tr("Train, or pause and step, to check a batch's gradient."));
}

void GradientPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyle();
    }
}

void GradientPanel::restyle() {
    stylePlot(m_classes, palette());
    stylePlot(m_norms, palette());
    const QColor accent = palette().color(QPalette::Highlight);
    m_bars->setPen(QPen(accent.darker(130)));
    m_bars->setBrush(QColor(accent.red(), accent.green(), accent.blue(), 150));
    m_truth->setPen(QPen(QColor(30, 140, 60)));
    m_truth->setBrush(QColor(50, 180, 80, 200));
    m_classes->replot(QCustomPlot::rpQueuedReplot);
    m_norms->replot(QCustomPlot::rpQueuedReplot);
}
