#include "CurvePlot.h"

#include "Appearance.h"
#include "TaskText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace {

// Measured now and then on fixed images (held-out ones, the k-NN monitor's), not on
// the training batches: drawn with markers, never smoothed.
bool isHeldOut(const QString& name) {
    return name.startsWith(QLatin1String("heldout_")) || name.startsWith(QLatin1String("knn_"));
}

QString displayName(const QString& name) {
    if (name == QLatin1String("knn_accuracy")) {
        return QObject::tr("k-NN accuracy");
    }
    if (name == QLatin1String("knn_random_init")) {
        return QObject::tr("random-init encoder");
    }
    return isHeldOut(name) ? pretext::metricText(name)
                           : QObject::tr("%1 (batches)").arg(pretext::metricText(name));
}

// Training series in blues, held-out ones in oranges, in order of appearance.
QColor seriesColor(bool heldOut, int index) {
    static const QColor train[] = {QColor(30, 90, 200), QColor(40, 150, 120), QColor(120, 80, 180)};
    static const QColor held[] = {QColor(230, 120, 20), QColor(200, 50, 60), QColor(160, 120, 0)};
    return heldOut ? held[index % 3] : train[index % 3];
}

QString formatValue(double v) {
    return std::abs(v) >= 0.01 || v == 0.0 ? QString::number(v, 'f', 4)
                                           : QString::number(v, 'g', 4);
}

// [first, last) of the points of sorted `x` that fall in [lo, hi], widened by one on
// each side so lines run to the plot's edges.
std::pair<int, int> visibleRange(const QVector<double>& x, double lo, double hi) {
    const auto begin = std::lower_bound(x.cbegin(), x.cend(), lo);
    const auto end = std::upper_bound(begin, x.cend(), hi);
    const int first = std::max(0, static_cast<int>(begin - x.cbegin()) - 1);
    const int last = std::min(static_cast<int>(x.size()), static_cast<int>(end - x.cbegin()) + 1);
    return {first, last};
}
} // namespace

namespace {
// Pre-blended with the background rather than translucent: the same look, and a dense
// raw curve draws several times faster without alpha blending.
QColor faintOn(const QColor& color, const QColor& background) {
    const double a = 0.3;
    return QColor::fromRgbF(a * color.redF() + (1 - a) * background.redF(),
                            a * color.greenF() + (1 - a) * background.greenF(),
                            a * color.blueF() + (1 - a) * background.blueF());
}
} // namespace

CurvePlot::CurvePlot(const QString& valueLabel, Qt::Alignment legendCorner, QWidget* parent)
    : QWidget(parent) {
    m_plot = new QCustomPlot(this);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(valueLabel);
    m_plot->legend->setVisible(false); // shown once a curve is there (redraw)
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, legendCorner);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setSelectionRectMode(QCP::srmZoom);
    m_plot->setMinimumHeight(140);
    // The best values head the plot, outside the curves and in every export.
    m_plot->plotLayout()->insertRow(0);
    m_bestLabel = new QCPTextElement(m_plot, QString(), QFont(font().family(), 8));
    m_bestLabel->setTextColor(QColor(60, 60, 60));
    m_plot->plotLayout()->addElement(0, 0, m_bestLabel);
    m_plot->plotLayout()->setRowSpacing(0);
    stylePlot(m_plot, palette());

    // Drag draws a zoom box; with Shift held it pans instead.
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        m_plot->setSelectionRectMode(e->modifiers() & Qt::ShiftModifier ? QCP::srmNone
                                                                        : QCP::srmZoom);
    });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    // Any range change not made by the plot itself is the user's: stop following.
    auto userMoved = [this] {
        if (!m_settingRange) {
            setFollowing(false);
            scheduleRedraw();
        }
    };
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, userMoved);
    connect(m_plot->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, userMoved);

    m_smoothSlider = new QSlider(Qt::Horizontal);
    m_smoothSlider->setObjectName(QStringLiteral("smoothing"));
    m_smoothSlider->setRange(0, 99);
    m_smoothSlider->setValue(static_cast<int>(m_smoothing * 100));
    m_smoothSlider->setMinimumWidth(70);
    m_smoothSlider->setMaximumWidth(120);
    m_smoothSlider->setToolTip(tr("Exponential moving average of the batch curves, debiased at "
                                  "the start; the raw curve stays faint behind it"));
    m_smoothValue = new QLabel(QString::number(m_smoothing, 'f', 2));
    connect(m_smoothSlider, &QSlider::valueChanged, this,
            [this](int v) { setSmoothing(v / 100.0); });
    m_logScale = new QCheckBox(tr("Log y"));
    m_logScale->setObjectName(QStringLiteral("logScale"));
    connect(m_logScale, &QCheckBox::toggled, this, &CurvePlot::setLogScale);
    m_xAxis = new QComboBox;
    m_xAxis->setObjectName(QStringLiteral("xAxis"));
    m_xAxis->addItems({tr("x: step"), tr("x: wall time")});
    connect(m_xAxis, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int i) { setWallTimeAxis(i == 1); });
    auto* reset = new QToolButton;
    reset->setObjectName(QStringLiteral("resetView"));
    reset->setText(tr("Reset view"));
    reset->setToolTip(tr("Show every point and follow new ones (or double-click the plot). "
                         "Drag to zoom into a box, Shift+drag to pan, wheel to zoom."));
    connect(reset, &QToolButton::clicked, this, &CurvePlot::resetView);
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    auto exportTo = [this](const QString& filter, const QString& suffix) {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export curves"), QStringLiteral("curves.") + suffix, filter);
        if (path.isEmpty()) {
            return;
        }
        QString error;
        const bool ok =
            suffix == QLatin1String("csv") ? exportCsv(path, &error) : exportImage(path, &error);
        if (!ok) {
            QMessageBox::warning(this, tr("Export"), error);
        }
    };
    exportMenu->addAction(tr("Curves as CSV…"), this,
                          [exportTo] { exportTo(tr("CSV (*.csv)"), QStringLiteral("csv")); });
    exportMenu->addAction(tr("Plot as PNG…"), this,
                          [exportTo] { exportTo(tr("PNG image (*.png)"), QStringLiteral("png")); });
    exportMenu->addAction(tr("Plot as PDF…"), this,
                          [exportTo] { exportTo(tr("PDF (*.pdf)"), QStringLiteral("pdf")); });
    exportButton->setMenu(exportMenu);

    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(new QLabel(tr("Smoothing")));
    controls->addWidget(m_smoothSlider);
    controls->addWidget(m_smoothValue);
    controls->addSpacing(8);
    controls->addWidget(m_logScale);
    controls->addWidget(m_xAxis);
    controls->addStretch(1);
    controls->addWidget(reset);
    controls->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_plot, 1);
    layout->addLayout(controls);

    m_redraw.setSingleShot(true);
    m_redraw.setInterval(40);
    connect(&m_redraw, &QTimer::timeout, this, &CurvePlot::redraw);
}

CurvePlot::~CurvePlot() = default;

void CurvePlot::setValueLabel(const QString& label) {
    m_plot->yAxis->setLabel(label);
    scheduleRedraw();
}

CurvePlot::Series& CurvePlot::addSeries(const QString& name, const QColor& color, bool heldOut) {
    auto s = std::make_unique<Series>();
    s->name = name;
    s->heldOut = heldOut;
    s->color = color;
    s->ema.reset(m_smoothing);
    s->raw = m_plot->addGraph();
    if (heldOut) {
        s->label = displayName(name);
        s->raw->setName(s->label);
        s->raw->setPen(QPen(color, 1.5));
        s->raw->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 5));
    } else {
        s->raw->setPen(QPen(faintOn(color, palette().color(QPalette::Base)), 1));
        // Dense and faint, the raw curve gains nothing visible from antialiasing, which
        // would cost more than the rest of a replot.
        s->raw->setAntialiased(false);
        s->raw->removeFromLegend();
        s->smooth = m_plot->addGraph();
        s->smooth->setPen(QPen(color, 2));
    }
    m_series.push_back(std::move(s));
    return *m_series.back();
}

CurvePlot::Series& CurvePlot::series(const QString& name) {
    for (auto& s : m_series) {
        if (s->name == name) {
            return *s;
        }
    }
    const bool heldOut = isHeldOut(name);
    const int index = static_cast<int>(std::count_if(
        m_series.cbegin(), m_series.cend(), [&](const auto& s) { return s->heldOut == heldOut; }));
    Series& s = addSeries(name, seriesColor(heldOut, index), heldOut);
    if (!heldOut) {
        s.label = displayName(name);
        s.smooth->setName(s.label);
    }
    return s;
}

void CurvePlot::addPoint(const QString& name, double step, double wallS, double value) {
    Series& s = series(name);
    s.steps.push_back(step);
    s.wallS.push_back(wallS);
    s.values.push_back(value);
    s.valuesLod.append(s.values);
    if (s.smooth) {
        s.smoothed.push_back(s.ema.add(value));
        s.smoothedLod.append(s.smoothed);
    }
    scheduleRedraw();
}

void CurvePlot::setSeries(const QString& name, const QVector<double>& steps,
                          const QVector<double>& wallS, const QVector<double>& values,
                          const QColor& color) {
    auto it = std::find_if(m_series.begin(), m_series.end(),
                           [&](const auto& s) { return s->name == name; });
    if (it != m_series.end()) {
        m_plot->removeGraph((*it)->raw);
        if ((*it)->smooth) {
            m_plot->removeGraph((*it)->smooth);
        }
        m_series.erase(it);
    }
    Series& s = addSeries(name, color, false);
    s.label = name;
    s.smooth->setName(name);
    // Points with no value in this column (held-out columns are sparse) are left out.
    for (int i = 0; i < values.size(); ++i) {
        if (std::isfinite(values[i])) {
            s.steps.push_back(steps.value(i));
            s.wallS.push_back(wallS.value(i));
            s.values.push_back(values[i]);
        }
    }
    s.valuesLod.rebuild(s.values);
    resmooth(s);
    scheduleRedraw();
}

void CurvePlot::resmooth(Series& s) const {
    // The running average is kept, so points added later continue the same curve.
    s.ema.reset(m_smoothing);
    s.smoothed.clear();
    s.smoothed.reserve(s.values.size());
    for (double v : s.values) {
        s.smoothed.push_back(s.ema.add(v));
    }
    s.smoothedLod.rebuild(s.smoothed);
}

void CurvePlot::clear() {
    m_plot->clearGraphs();
    m_series.clear();
    m_bestLabel->setText(QString());
    setFollowing(true);
    redrawNow();
}

int CurvePlot::pointCount(const QString& name) const {
    int n = 0;
    for (const auto& s : m_series) {
        if (name.isEmpty() || s->name == name) {
            n += static_cast<int>(s->values.size());
        }
    }
    return n;
}

QStringList CurvePlot::seriesNames() const {
    QStringList names;
    for (const auto& s : m_series) {
        names << s->name;
    }
    return names;
}

void CurvePlot::setSmoothing(double weight) {
    weight = std::clamp(weight, 0.0, 0.99);
    if (m_smoothSlider->value() != qRound(weight * 100)) {
        m_smoothSlider->setValue(qRound(weight * 100)); // comes back here
        return;
    }
    m_smoothing = weight;
    m_smoothValue->setText(QString::number(weight, 'f', 2));
    for (auto& s : m_series) {
        if (s->smooth) {
            resmooth(*s);
        }
    }
    scheduleRedraw();
}

bool CurvePlot::logScale() const {
    return m_logScale->isChecked();
}

void CurvePlot::setLogScale(bool on) {
    if (m_logScale->isChecked() != on) {
        m_logScale->setChecked(on); // comes back here
        return;
    }
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on) {
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    } else {
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    resetView();
}

void CurvePlot::setWallTimeAxis(bool on) {
    if (m_xAxis->currentIndex() != (on ? 1 : 0)) {
        m_xAxis->setCurrentIndex(on ? 1 : 0); // comes back here
        return;
    }
    m_wallTime = on;
    if (on) {
        auto ticker = QSharedPointer<QCPAxisTickerTime>::create();
        ticker->setTimeFormat(QStringLiteral("%h:%m:%s"));
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setLabel(tr("wall time (h:mm:ss)"));
    } else {
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_plot->xAxis->setLabel(tr("step"));
    }
    resetView();
}

void CurvePlot::setFollowing(bool on) {
    if (m_follow != on) {
        m_follow = on;
        Q_EMIT followingChanged(on);
    }
}

void CurvePlot::resetView() {
    setFollowing(true);
    redrawNow();
}

void CurvePlot::scheduleRedraw() {
    if (!m_redraw.isActive()) {
        m_redraw.start();
    }
}

void CurvePlot::redrawNow() {
    m_redraw.stop();
    redraw();
    m_plot->replot();
}

const QVector<double>& CurvePlot::xOf(const Series& s) const {
    return m_wallTime ? s.wallS : s.steps;
}

void CurvePlot::redraw() {
    m_settingRange = true;
    if (m_follow) {
        double lo = qInf(), hi = -qInf();
        for (const auto& s : m_series) {
            const QVector<double>& x = xOf(*s);
            if (!x.isEmpty()) {
                lo = std::min(lo, x.front());
                hi = std::max(hi, x.back());
            }
        }
        if (lo <= hi) {
            const double pad = hi > lo ? 0.01 * (hi - lo) : 1.0;
            m_plot->xAxis->setRange(lo - (lo == hi ? pad : 0.0), hi + pad);
        }
    }
    const QCPRange view = m_plot->xAxis->range();
    // About one bucket (two points: its min and max) per pixel of the plot's width.
    const int buckets =
        std::max(50, m_widthOverride > 0 ? m_widthOverride : m_plot->axisRect()->width());
    m_drawnPoints = 0;
    for (const auto& s : m_series) {
        const QVector<double>& x = xOf(*s);
        const auto [first, last] = visibleRange(x, view.lower, view.upper);
        const auto raw =
            s->valuesLod.decimate(x.constData(), s->values.constData(), first, last, buckets);
        s->raw->setData(raw.x, raw.y, true);
        m_drawnPoints += static_cast<int>(raw.x.size());
        if (s->smooth) {
            // The smoothed line is drawn 2 px wide, and Qt strokes a wide polyline at a cost
            // that grows fast with its zigzags: past two points a pixel, a bucket per 4 px
            // keeps it a line at a fraction of the time (the raw curve keeps every pixel's
            // extremes).
            const int smoothBuckets =
                last - first <= 2 * buckets ? buckets : std::max(50, buckets / 4);
            const auto sm = s->smoothedLod.decimate(x.constData(), s->smoothed.constData(), first,
                                                    last, smoothBuckets);
            s->smooth->setData(sm.x, sm.y, true);
            m_drawnPoints += static_cast<int>(sm.x.size());
        }
    }
    if (m_follow && !m_series.empty()) {
        bool found = false;
        QCPRange y;
        for (const auto& s : m_series) {
            bool ok = false;
            const QCPRange r = s->raw->getValueRange(ok, QCP::sdBoth, m_plot->xAxis->range());
            if (ok) {
                y = found ? QCPRange(std::min(y.lower, r.lower), std::max(y.upper, r.upper)) : r;
                found = true;
            }
        }
        if (found && logScale()) {
            // Log scale: the positive part only.
            bool ok = false;
            QCPRange positive;
            for (const auto& s : m_series) {
                const QCPRange r =
                    s->raw->getValueRange(ok, QCP::sdPositive, m_plot->xAxis->range());
                if (ok) {
                    positive = positive.lower > 0 ? QCPRange(std::min(positive.lower, r.lower),
                                                             std::max(positive.upper, r.upper))
                                                  : r;
                }
            }
            y = positive.lower > 0 ? positive : QCPRange(1e-3, 1.0);
            m_plot->yAxis->setRange(y.lower / 1.2, y.upper * 1.2);
        } else if (found) {
            const double pad = y.upper > y.lower ? 0.05 * (y.upper - y.lower)
                                                 : std::max(1e-6, std::abs(y.upper) * 0.05);
            m_plot->yAxis->setRange(y.lower - pad, y.upper + pad);
        }
    }
    m_bestLabel->setText(bestText());
    m_settingRange = false;
    // An empty plot shows no empty legend box.
    m_plot->legend->setVisible(m_plot->legend->itemCount() > 0);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString CurvePlot::bestText() const {
    // Held-out series judge a live run; without them (or for past runs) every series does.
    const bool anyHeldOut =
        std::any_of(m_series.cbegin(), m_series.cend(), [](const auto& s) { return s->heldOut; });
    QStringList lines;
    for (const auto& s : m_series) {
        if (anyHeldOut && !s->heldOut) {
            continue;
        }
        const bool lower = curves::lowerIsBetter(s->name) ||
                           (!isHeldOut(s->name) && curves::lowerIsBetter(m_plot->yAxis->label()));
        const int best = s->valuesLod.extremeIndex(s->values, lower);
        if (best < 0) {
            continue;
        }
        lines << tr("best %1: %2 at step %3")
                     .arg(s->label.isEmpty() ? s->name : s->label, formatValue(s->values[best]))
                     .arg(s->steps[best]);
        if (lines.size() == 6) {
            lines << tr("…");
            break;
        }
    }
    // Two per line keeps the heading short, when they fit the plot's width.
    const int fits = std::max(40, m_plot->width() / 7);
    QStringList rows;
    for (int i = 0; i < lines.size(); ++i) {
        const QString pair =
            i + 1 < lines.size() ? lines[i] + QStringLiteral("  ·  ") + lines[i + 1] : QString();
        if (!pair.isEmpty() && pair.size() <= fits) {
            rows << pair;
            ++i;
        } else {
            rows << lines[i];
        }
    }
    return rows.join(QLatin1Char('\n'));
}

void CurvePlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        for (const auto& s : m_series) {
            if (!s->heldOut) {
                s->raw->setPen(QPen(faintOn(s->color, palette().color(QPalette::Base)), 1));
            }
        }
        stylePlot(m_plot, palette());
    }
    QWidget::changeEvent(event);
}
