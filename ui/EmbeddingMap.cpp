#include "EmbeddingMap.h"

#include "Appearance.h"

#include <QEvent>
#include <QFileInfo>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <QVariantAnimation>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace {
constexpr int kBands = 6;           // colour bands of an image statistic
constexpr double kPickPixels = 8.0; // how near the mouse must be to a dot
} // namespace

EmbeddingMap::EmbeddingMap(QWidget* parent) : QWidget(parent) {
    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("embeddingPlot"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    // Map coordinates mean nothing by themselves (t-SNE keeps neighbourhoods, not
    // distances): no tick labels, a light frame.
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setTickLabels(false);
        axis->setTicks(false);
        axis->grid()->setVisible(false);
    }
    // The legend in a column of its own, at the top, so that it hides no dot.
    auto* side = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(0, 1, side);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.001);
    side->addElement(0, 0, m_plot->legend);
    side->addElement(1, 0, new QCPLayoutElement(m_plot));
    side->setRowStretchFactor(0, 0.001);
    m_plot->legend->setVisible(false);
    // The hover card is redrawn alone, over the dots.
    m_plot->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmBuffered);
    stylePlot(m_plot, palette());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);

    m_motion = new QVariantAnimation(this);
    m_motion->setDuration(900);
    m_motion->setStartValue(0.0);
    m_motion->setEndValue(1.0);
    m_motion->setEasingCurve(QEasingCurve::InOutCubic);
    connect(m_motion, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        const double t = v.toDouble();
        QVector<QPointF> points(m_map.points.size());
        for (int i = 0; i < points.size(); ++i) {
            points[i] = m_from.value(i) * (1.0 - t) + m_map.points[i] * t;
        }
        draw(points);
    });
    connect(m_motion, &QVariantAnimation::finished, this, [this] {
        draw(m_map.points);
        m_plot->rescaleAxes();
        m_plot->replot();
    });

    auto pressedAt = std::make_shared<QPointF>();
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const int index = imageAt(e->position());
        if (index != m_hovered) {
            m_hovered = index;
            showCard(index);
            Q_EMIT hovered(index);
        }
    });
    connect(m_plot, &QCustomPlot::mousePress, this,
            [pressedAt](QMouseEvent* e) { *pressedAt = e->position(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this, pressedAt](QMouseEvent* e) {
        // A click, not the end of a drag.
        if ((e->position() - *pressedAt).manhattanLength() > 4.0) {
            return;
        }
        const int index = imageAt(e->position());
        if (index >= 0) {
            Q_EMIT imageClicked(index);
        }
    });
}

bool EmbeddingMap::animating() const {
    return m_motion->state() == QAbstractAnimation::Running;
}

void EmbeddingMap::clear() {
    m_motion->stop();
    showCard(-1);
    m_map = {};
    m_shown.clear();
    m_plot->clearPlottables();
    m_groups.clear();
    m_ring = m_neighbourRing = nullptr;
    m_selected = -1;
    m_neighbours.clear();
    m_plot->legend->setVisible(false);
    m_plot->replot();
}

void EmbeddingMap::setMap(const pretext::EmbedMap& map) {
    showCard(-1);
    m_hovered = -1;
    const bool glide = !m_shown.isEmpty() && m_map.names == map.names &&
                       m_map.labelled() == map.labelled() && m_map.colourBy == map.colourBy;
    m_motion->stop();
    m_from = m_shown;
    m_map = map;
    // The groups: a graph per class, or per band of the statistic.
    m_plot->clearPlottables();
    m_groups.clear();
    m_groupOf = QVector<int>(map.points.size(), 0);
    auto addGroup = [this](const QString& name, const QColor& colour) {
        auto* g = m_plot->addGraph();
        g->setName(name);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 5));
        g->setAdaptiveSampling(false);
        m_groups << g;
    };
    if (map.labelled()) {
        for (int c = 0; c < map.classes.size(); ++c) {
            addGroup(map.classes[c], pretext::classColour(c));
        }
        for (int i = 0; i < map.labels.size(); ++i) {
            m_groupOf[i] = std::clamp(map.labels[i], 0, static_cast<int>(map.classes.size()) - 1);
        }
    } else if (!map.values.isEmpty()) {
        const double lo = *std::min_element(map.values.begin(), map.values.end());
        const double hi = *std::max_element(map.values.begin(), map.values.end());
        const double width = std::max(hi - lo, 1e-9) / kBands;
        for (int b = 0; b < kBands; ++b) {
            addGroup(tr("%1 %2–%3")
                         .arg(map.colourBy)
                         .arg(lo + b * width, 0, 'f', 2)
                         .arg(lo + (b + 1) * width, 0, 'f', 2),
                     pretext::valueColour((b + 0.5) / kBands));
        }
        for (int i = 0; i < map.values.size(); ++i) {
            m_groupOf[i] =
                std::clamp(static_cast<int>((map.values[i] - lo) / width), 0, kBands - 1);
        }
    }
    m_ring = m_plot->addGraph();
    m_ring->setLineStyle(QCPGraph::lsNone);
    m_ring->setScatterStyle(QCPScatterStyle(
        QCPScatterStyle::ssCircle, QPen(palette().color(QPalette::Text), 2.5), Qt::NoBrush, 14));
    m_ring->removeFromLegend();
    m_neighbourRing = m_plot->addGraph();
    m_neighbourRing->setLineStyle(QCPGraph::lsNone);
    m_neighbourRing->setScatterStyle(QCPScatterStyle(
        QCPScatterStyle::ssCircle, QPen(palette().color(QPalette::Text), 1.2), Qt::NoBrush, 10));
    m_neighbourRing->removeFromLegend();
    m_plot->legend->setVisible(!m_groups.isEmpty());
    if (m_selected >= map.points.size() || !glide) {
        m_selected = -1;
        m_neighbours.clear();
    }
    if (glide && m_from.size() == map.points.size()) {
        // Frame both the old and the new positions while the dots travel.
        draw(m_from);
        m_plot->rescaleAxes();
        draw(map.points);
        for (QCPGraph* g : m_groups) {
            g->rescaleAxes(true); // only enlarge
        }
        m_motion->start();
    } else {
        draw(map.points);
        m_plot->rescaleAxes();
        m_plot->replot();
    }
}

void EmbeddingMap::draw(const QVector<QPointF>& points) {
    m_shown = points;
    QVector<QVector<double>> xs(m_groups.size()), ys(m_groups.size());
    for (int i = 0; i < points.size(); ++i) {
        const int g = m_groupOf.value(i);
        if (g < xs.size()) {
            xs[g] << points[i].x();
            ys[g] << points[i].y();
        }
    }
    for (int g = 0; g < m_groups.size(); ++g) {
        m_groups[g]->setData(xs[g], ys[g]);
    }
    drawSelection();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingMap::setSelection(int index, const QVector<int>& neighbours) {
    m_selected = index;
    m_neighbours = neighbours;
    drawSelection();
    m_plot->replot();
}

void EmbeddingMap::drawSelection() {
    if (m_ring == nullptr) {
        return;
    }
    QVector<double> x, y, nx, ny;
    if (m_selected >= 0 && m_selected < m_shown.size()) {
        x << m_shown[m_selected].x();
        y << m_shown[m_selected].y();
    }
    for (int n : m_neighbours) {
        if (n >= 0 && n < m_shown.size()) {
            nx << m_shown[n].x();
            ny << m_shown[n].y();
        }
    }
    m_ring->setData(x, y);
    m_neighbourRing->setData(nx, ny);
}

QString EmbeddingMap::caption(int index) const {
    QString text = QFileInfo(m_map.names.value(index)).fileName();
    if (m_map.labelled()) {
        text += QLatin1Char('\n') + m_map.classes.value(m_map.labels.value(index));
    } else if (index >= 0 && index < m_map.values.size()) {
        text += QStringLiteral("\n%1 %2").arg(m_map.colourBy).arg(m_map.values[index], 0, 'f', 2);
    }
    return text;
}

void EmbeddingMap::showCard(int index) {
    if (m_card == nullptr) {
        m_card = new QCPItemPixmap(m_plot);
        m_card->setClipToAxisRect(false);
        m_card->setPen(QPen(palette().color(QPalette::Text)));
        m_card->topLeft->setType(QCPItemPosition::ptAbsolute);
        m_card->setLayer(QStringLiteral("overlay"));
        m_cardText = new QCPItemText(m_plot);
        m_cardText->setClipToAxisRect(false);
        m_cardText->position->setType(QCPItemPosition::ptAbsolute);
        m_cardText->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
        m_cardText->setTextAlignment(Qt::AlignLeft);
        m_cardText->setPadding(QMargins(3, 1, 3, 1));
        m_cardText->setLayer(QStringLiteral("overlay"));
    }
    const bool show = index >= 0 && index < m_map.thumbnails.size();
    m_card->setVisible(show);
    m_cardText->setVisible(show);
    if (show) {
        constexpr int side = 96;
        const QPixmap pixmap = QPixmap::fromImage(m_map.thumbnails[index].scaled(
            side, side, Qt::KeepAspectRatio, Qt::FastTransformation));
        m_card->setPixmap(pixmap);
        // Beside the dot, on whichever side keeps it inside the plot.
        const QRect area = m_plot->axisRect()->rect();
        const QPointF at = pixelOf(index);
        const double x = at.x() + 14 + side > area.right() ? at.x() - 14 - side : at.x() + 14;
        const double y = std::clamp(at.y() - side / 2.0, static_cast<double>(area.top()),
                                    static_cast<double>(area.bottom() - side - 30));
        m_card->topLeft->setCoords(x, y);
        m_cardText->position->setCoords(x, y + pixmap.height() + 2);
        m_cardText->setText(caption(index));
        m_cardText->setColor(palette().color(QPalette::Text));
        m_cardText->setBrush(palette().color(QPalette::Base));
    }
    m_plot->layer(QStringLiteral("overlay"))->replot();
}

QPointF EmbeddingMap::pixelOf(int index) const {
    if (index < 0 || index >= m_shown.size()) {
        return {};
    }
    return {m_plot->xAxis->coordToPixel(m_shown[index].x()),
            m_plot->yAxis->coordToPixel(m_shown[index].y())};
}

int EmbeddingMap::imageAt(const QPointF& pixel) const {
    int best = -1;
    double bestDistance = kPickPixels * kPickPixels;
    for (int i = 0; i < m_shown.size(); ++i) {
        const QPointF d = pixelOf(i) - pixel;
        const double d2 = d.x() * d.x() + d.y() * d.y();
        if (d2 < bestDistance) {
            bestDistance = d2;
            best = i;
        }
    }
    return best;
}

void EmbeddingMap::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        stylePlot(m_plot, palette());
        for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
            axis->setTickLabels(false);
            axis->setTicks(false);
            axis->grid()->setVisible(false);
        }
        m_plot->replot();
    }
    QWidget::changeEvent(event);
}
