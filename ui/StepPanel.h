#pragma once
// Step mode: one batch at a time. The held-out samples before and after the step, the
// batch's loss before and after its update, the update's size ‖Δθ‖ (and relative to
// ‖θ‖); "Replay this batch" steps on the same batch again, to watch it being learned.
#include "InspectTypes.h"

#include <QWidget>

class ImageGridView;
class QLabel;
class QPushButton;

class StepPanel : public QWidget {
    Q_OBJECT
public:
    explicit StepPanel(QWidget* parent = nullptr);
    void showReport(const pretext::StepReport& report);
    // Step and replay are possible only while a run is paused (replay after a step).
    void setState(pretext::EngineState state);
    void clear();
    QPushButton* stepButton() const { return m_step; }
    QPushButton* replayButton() const { return m_replay; }
    QLabel* numbers() const { return m_numbers; }
    ImageGridView* beforeView() const { return m_before; }
    ImageGridView* afterView() const { return m_after; }

Q_SIGNALS:
    void pauseRequested();
    void stepRequested();
    void replayRequested();

private:
    QPushButton* m_pause = nullptr;
    QPushButton* m_step = nullptr;
    QPushButton* m_replay = nullptr;
    QLabel* m_numbers = nullptr;
    ImageGridView* m_before = nullptr;
    ImageGridView* m_after = nullptr;
    QList<double> m_replayLosses; // the batch's loss over consecutive replays
    bool m_haveBatch = false;
    pretext::EngineState m_state = pretext::EngineState::Idle;
};
