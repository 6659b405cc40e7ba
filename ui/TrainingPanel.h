#pragma once
// Training controls (start, pause/resume, step, stop; learning rate, batch size,
// device, precision, gradient accumulation, the encoder's starting weights, step limit)
// and the live figures of the current run.
#include "SessionTypes.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    // Fills the run settings this panel owns; task, params and seed come from elsewhere.
    void fillSettings(pretext::TrainSettings& settings) const;
    void setState(pretext::EngineState state, bool hasData);
    void showProgress(const pretext::TrainProgress& progress);
    // What one training sample is, for the throughput line: "images" or "tuples".
    void setSampleName(const QString& plural) { m_sampleName = plural; }
    QString sampleName() const { return m_sampleName; }
    void showRunStarted(const QString& runDir, const QString& device);
    void showRunFinished(const QString& reason);
    void setLearningRate(double lr);
    // Takes the run settings this panel owns from a config (learning rate, batch size,
    // device, precision, accumulation, starting weights, step limit).
    void applySettings(const pretext::TrainSettings& settings);
    int maxSteps() const;
    // The state dict file the encoder starts from (chosen and listed); empty: random.
    void addInitFile(const QString& file);
    QString initEncoder() const;
    void setMaxSteps(int steps); // 0: until stopped

    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* stepButton() const { return m_step; }
    QPushButton* stopButton() const { return m_stop; }

Q_SIGNALS:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void stepRequested();
    void stopRequested();
    void learningRateChanged(double lr);
    void augmentChanged();

private:
    QString m_sampleName = QStringLiteral("images");
    QDoubleSpinBox* m_lr = nullptr;
    QSpinBox* m_batch = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_convRoute = nullptr;
    QComboBox* m_augment = nullptr;
    QComboBox* m_monitor = nullptr;
    QComboBox* m_precision = nullptr;
    QSpinBox* m_accumulate = nullptr;
    QComboBox* m_init = nullptr;
    QSpinBox* m_maxSteps = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_step = nullptr;
    QPushButton* m_stop = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_runDir = nullptr;
    pretext::EngineState m_state = pretext::EngineState::Idle;
};
