#include "EngineStatus.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>

EngineStatus::EngineStatus(QWidget* parent) : QWidget(parent) {
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("engineState"));
    // A long device line is cut at the window's edge rather than widening the window
    // past a small screen; the whole of it is in the tooltip.
    m_state->setMinimumWidth(200);
    m_step = new QLabel(this);
    m_step->setObjectName(QStringLiteral("statusStep"));
    m_rate = new QLabel(this);
    m_rate->setObjectName(QStringLiteral("statusRate"));
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("statusProgress"));
    m_bar->setMaximumWidth(160);
    m_bar->setMaximumHeight(16);
    m_bar->hide();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_step);
    layout->addWidget(m_rate);
    layout->addWidget(m_bar);
    layout->addWidget(m_state, 1);
}

void EngineStatus::setState(pretext::EngineState state, const QString& device) {
    using pretext::EngineState;
    m_engineState = state;
    const QString what = state == EngineState::Idle      ? tr("idle")
                         : state == EngineState::Loading ? tr("loading")
                         : state == EngineState::Running ? tr("training")
                                                         : tr("paused");
    m_stateText =
        device.isEmpty() ? tr("Engine: %1").arg(what) : tr("Engine: %1 · %2").arg(what, device);
    m_state->setToolTip(m_stateText);
    showState();
    updateGeometry();
    if (state == EngineState::Idle) {
        m_bar->hide();
        m_rate->clear();
    }
}

void EngineStatus::showTraining(const pretext::TrainProgress& p, qint64 maxSteps,
                                const QString& samples) {
    m_step->setText(maxSteps > 0 ? tr("step %1 / %2").arg(p.step).arg(maxSteps)
                                 : tr("step %1").arg(p.step));
    QString rate = tr("%1 %2/s").arg(p.imagesPerSec, 0, 'f', 0).arg(samples);
    if (const auto peak = p.metrics.constFind(QStringLiteral("gpu_peak_mb"));
        peak != p.metrics.cend()) { // a GPU run: the most memory the step took
        rate += tr(" · GPU peak %1 GiB").arg(peak->toDouble() / 1024.0, 0, 'f', 2);
    }
    m_rate->setText(rate);
    // Image files: how they are read, and whether training waits for them.
    m_rate->setToolTip(p.pipeline);
    m_bar->setVisible(maxSteps > 0);
    if (maxSteps > 0) {
        m_bar->setRange(0, static_cast<int>(maxSteps));
        m_bar->setValue(static_cast<int>(std::min(p.step, maxSteps)));
        m_bar->setFormat(tr("%p%"));
    }
}

void EngineStatus::showLoading(qint64 done, qint64 total) {
    m_bar->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
    m_bar->setValue(static_cast<int>(std::min(done, std::max<qint64>(total, 1))));
    m_bar->setFormat(tr("loading %p%"));
    m_bar->setVisible(done < total);
}

void EngineStatus::showState() {
    m_state->setText(m_state->fontMetrics().elidedText(m_stateText, Qt::ElideRight,
                                                       std::max(m_state->width(), 200)));
}

QSize EngineStatus::sizeHint() const {
    // As wide as the whole state line asks, whatever part of it is shown now.
    QSize hint = QWidget::sizeHint();
    hint.rwidth() += m_state->fontMetrics().horizontalAdvance(m_stateText) -
                     m_state->fontMetrics().horizontalAdvance(m_state->text());
    return hint;
}

void EngineStatus::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    showState();
}

QString EngineStatus::stateText() const {
    return m_stateText;
}
QString EngineStatus::stepText() const {
    return m_step->text();
}
