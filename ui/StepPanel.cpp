#include "StepPanel.h"

#include "ImageGridView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace {
QString g(double v, int digits = 4) {
    return QString::number(v, 'g', digits);
}
} // namespace

StepPanel::StepPanel(QWidget* parent) : QWidget(parent) {
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setObjectName(QStringLiteral("stepModePause"));
    m_pause->setToolTip(tr("Pause the run to take steps one at a time (F6)"));
    m_step = new QPushButton(tr("Step on the next batch"));
    m_step->setObjectName(QStringLiteral("stepModeStep"));
    m_step->setToolTip(tr("One optimizer step on a new batch (F7)"));
    m_replay = new QPushButton(tr("Replay this batch"));
    m_replay->setObjectName(QStringLiteral("replayButton"));
    m_replay->setToolTip(tr("One more step on the same batch: its loss falls as it is learned "
                            "(and the held-out samples show whether that generalises) (F8)"));
    connect(m_pause, &QPushButton::clicked, this, &StepPanel::pauseRequested);
    connect(m_step, &QPushButton::clicked, this, &StepPanel::stepRequested);
    connect(m_replay, &QPushButton::clicked, this, &StepPanel::replayRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_step);
    buttons->addWidget(m_replay);
    buttons->addStretch(1);

    m_numbers = new QLabel(tr("Start a run and pause it: each step then shows what one batch does "
                              "to the model."));
    m_numbers->setObjectName(QStringLiteral("stepNumbers"));
    m_numbers->setWordWrap(true);
    m_numbers->setTextFormat(Qt::RichText);
    m_numbers->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_before = new ImageGridView;
    m_before->setObjectName(QStringLiteral("stepBefore"));
    m_before->setPlaceholder(tr("Held-out samples before the step"));
    m_after = new ImageGridView;
    m_after->setObjectName(QStringLiteral("stepAfter"));
    m_after->setPlaceholder(tr("The same samples after it"));
    auto* views = new QSplitter(Qt::Horizontal);
    auto box = [](const QString& title, QWidget* w) {
        auto* c = new QWidget;
        auto* l = new QVBoxLayout(c);
        l->setContentsMargins(0, 0, 0, 0);
        auto* t = new QLabel(QStringLiteral("<b>%1</b>").arg(title));
        l->addWidget(t);
        l->addWidget(w, 1);
        return c;
    };
    views->addWidget(box(tr("Before"), m_before));
    views->addWidget(box(tr("After"), m_after));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_numbers);
    layout->addWidget(views, 1);
    setState(pretext::EngineState::Idle);
}

void StepPanel::setState(pretext::EngineState state) {
    m_state = state;
    const bool paused = state == pretext::EngineState::Paused;
    m_pause->setEnabled(state == pretext::EngineState::Running);
    m_step->setEnabled(paused);
    m_replay->setEnabled(paused && m_haveBatch);
}

void StepPanel::showReport(const pretext::StepReport& r) {
    m_haveBatch = true;
    if (r.replay) {
        m_replayLosses << r.lossAfter;
    } else {
        m_replayLosses = {r.lossBefore, r.lossAfter};
    }
    const double change = r.lossAfter - r.lossBefore;
    QString trail;
    if (m_replayLosses.size() > 2) {
        QStringList parts;
        for (double l : m_replayLosses) {
            parts << g(l, 3);
        }
        trail = tr("<br>This batch over its replays: %1").arg(parts.join(QStringLiteral(" → ")));
    }
    m_numbers->setText(
        tr("<b>Step %1</b>%2: the batch's loss <b>%3</b> before the update, <b>%4</b> "
           "after it (%5%6). Update ‖Δθ‖ = %7, ‖Δθ‖/‖θ‖ = %8.%9")
            .arg(r.step)
            .arg(r.replay ? tr(" (the same batch again)") : QString())
            .arg(g(r.lossBefore), g(r.lossAfter))
            .arg(change <= 0 ? QStringLiteral("−") : QStringLiteral("+"))
            .arg(g(std::abs(change), 3))
            .arg(g(r.updateNorm, 3))
            .arg(r.parameterNorm > 0 ? g(r.updateNorm / r.parameterNorm, 3) : QStringLiteral("—"))
            .arg(trail));
    m_before->setGrid(r.before);
    m_after->setGrid(r.after);
    setState(m_state);
}

void StepPanel::clear() {
    m_haveBatch = false;
    m_replayLosses.clear();
    m_before->setGrid({});
    m_after->setGrid({});
    setState(m_state);
}
