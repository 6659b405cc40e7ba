#pragma once
// The linear probe of a run, in the window: the run chosen in the Runs panel, labelled
// images (Fashion-MNIST, IDX files or a folder per class), and the result as a table
// and a bar chart per encoder stage beside the random-weight and raw-pixel baselines.
// The probe runs in its own thread; its result is kept in the run folder (probe.json)
// and shown again whenever that run is chosen.
#include "Cancel.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QThread;

class ProbePanel : public QWidget {
    Q_OBJECT
public:
    explicit ProbePanel(QWidget* parent = nullptr);
    ~ProbePanel() override;
    // The run the Probe button judges; its saved probe.json, if any, is shown.
    void setRun(const QString& runDir);
    QString run() const { return m_run; }
    // Training and probing share the machine (and torch's global seed): no probe
    // starts while a run trains.
    void setIdle(bool idle);
    void showResult(const QJsonObject& result);
    QJsonObject result() const { return m_result; }
    bool isRunning() const { return m_thread != nullptr; }
    void startProbe();

Q_SIGNALS:
    void probeFinished(bool ok, const QString& message);

protected:
    // Plots draw their own colours: they follow a change of palette (View ▸ Appearance).
    void changeEvent(QEvent* event) override;

private:
    void updateButtons();
    void clearResult(const QString& why);

    QString m_run;
    bool m_idle = true;
    QJsonObject m_result;
    QLabel* m_runLabel = nullptr;
    QComboBox* m_labels = nullptr;
    QSpinBox* m_trainSize = nullptr;
    QSpinBox* m_testSize = nullptr;
    QSpinBox* m_seed = nullptr;
    QPushButton* m_probe = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_summary = nullptr;
    QTableWidget* m_table = nullptr;
    QCustomPlot* m_chart = nullptr;
    QThread* m_thread = nullptr;
    pretext::CancelToken m_cancel; // of the probe in m_thread
};

// The file in a run folder that keeps the last probe's result.
inline const char* kProbeFile = "probe.json";
