#pragma once
// Shortcut diagnostics in the window: pick one (jigsaw with and without gaps, ...), and
// its variants train side by side in a thread of their own, launched with one click;
// their held-out curves are overlaid, and the linear probe of each encoder says
// whether taking the shortcut cost the representation anything; their saliency maps
// side by side show where each model looks.
#include "SessionTypes.h"

#include <QThread>
#include <QWidget>

class ImageGridView;
class RunJob;
class QCheckBox;
class QStackedWidget;
class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace pretext {
class DiagnosticWorker;
}

class ShortcutPanel : public QWidget {
    Q_OBJECT
public:
    explicit ShortcutPanel(QWidget* parent = nullptr);
    ~ShortcutPanel() override;
    // Where the variants' run folders go (the Runs panel lists them).
    void setWorkspace(const QString& dir) { m_workspace = dir; }
    bool isRunning() const { return m_running; }
    // The data loaded in the window: offered as what the variants train on, beside the
    // demo set the diagnostics were measured on.
    void setLoadedData(const pretext::DataSummary& summary);
    // Starts the diagnostic chosen (tests: with a step count and probe sizes).
    void start(const QString& id, int steps, bool probe, int probeTrain = 2000,
               int probeTest = 1000);
    QComboBox* diagnosticCombo() const { return m_combo; }
    // 0: the diagnostic's demo set; 1: the data loaded in the window (when offered).
    QComboBox* dataCombo() const { return m_data; }
    QPushButton* runButton() const { return m_run; }
    QTableWidget* results() const { return m_table; }
    QCustomPlot* lossPlot() const { return m_loss; }
    QCustomPlot* accuracyPlot() const { return m_accuracy; }
    // The variants' saliency side by side (what each model's loss rests on), in place of
    // the curves; again, the curves. Computed in a thread of its own.
    QPushButton* saliencyButton() const { return m_saliencyButton; }
    ImageGridView* saliencyView() const { return m_saliency; }
    bool showingSaliency() const;

Q_SIGNALS:
    // Every variant trained (and was probed, when asked): reason finished/stopped/error.
    void diagnosticFinished(const QString& reason, const QStringList& runDirs);

protected:
    void changeEvent(QEvent* event) override;

private:
    void describe();
    void onStarted(const QStringList& labels, const QStringList& runDirs);
    void onProgress(int variant, const pretext::TrainProgress& progress);
    void onFinished(const QString& reason);
    void restyle();
    void toggleSaliency();
    void updateSaliencyButton();

    QThread m_thread;
    pretext::DiagnosticWorker* m_worker = nullptr;
    QComboBox* m_combo = nullptr;
    QComboBox* m_data = nullptr;
    QSpinBox* m_steps = nullptr;
    QCheckBox* m_probe = nullptr;
    QPushButton* m_run = nullptr;
    QLabel* m_explain = nullptr;
    QLabel* m_legend = nullptr;
    QLabel* m_status = nullptr;
    QCustomPlot* m_loss = nullptr;
    QCustomPlot* m_accuracy = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_saliencyButton = nullptr;
    QStackedWidget* m_stack = nullptr; // the curves, or the saliency side by side
    ImageGridView* m_saliency = nullptr;
    RunJob* m_saliencyJob = nullptr;
    QStringList m_labels;
    QString m_workspace;
    QStringList m_runDirs;
    bool m_running = false;
};
