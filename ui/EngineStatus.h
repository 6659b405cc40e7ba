#pragma once
// The status bar's permanent part: what the engine does and on which device, the
// step and speed of the run, and a progress bar for long work (loading, a run with a
// step limit).
#include "SessionTypes.h"

#include <QWidget>

class QLabel;
class QProgressBar;

class EngineStatus : public QWidget {
    Q_OBJECT
public:
    explicit EngineStatus(QWidget* parent = nullptr);

    void setState(pretext::EngineState state, const QString& device);
    // maxSteps 0: until stopped (no bar); `samples` names what images/s counts.
    void showTraining(const pretext::TrainProgress& progress, qint64 maxSteps,
                      const QString& samples);
    void showLoading(qint64 done, qint64 total);

    QString stateText() const;
    QSize sizeHint() const override;
    QString stepText() const;
    QProgressBar* progressBar() const { return m_bar; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    // The state line, cut with an ellipsis at the width the status bar gives it.
    void showState();

    QString m_stateText;
    QLabel* m_state = nullptr;
    QLabel* m_step = nullptr;
    QLabel* m_rate = nullptr;
    QProgressBar* m_bar = nullptr;
    pretext::EngineState m_engineState = pretext::EngineState::Idle;
};
