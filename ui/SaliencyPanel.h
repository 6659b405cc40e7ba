#pragma once
// The Saliency view: which pixels a run's model rests its pretext prediction on. For the
// run chosen in the Runs panel (or the one training, again at each of its checkpoints),
// samples the task makes from held-out images, shown as the model sees them beside their
// gradient × input and occlusion maps; per tile for jigsaw, so a model that solves puzzles
// from tile borders or colour fringes shows it. Computed in a thread of its own.
#include <QWidget>

class ImageGridView;
class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class RunJob;

class SaliencyPanel : public QWidget {
    Q_OBJECT
public:
    explicit SaliencyPanel(QWidget* parent = nullptr);
    ~SaliencyPanel() override;
    void setRun(const QString& runDir);
    QString run() const { return m_run; }
    // A checkpoint of `runDir` was written: with "At checkpoints" on, shown again.
    void checkpointWritten(const QString& runDir);
    void start();
    bool isBusy() const;
    ImageGridView* view() const { return m_view; }

protected:
    // A checkpoint written while the view was hidden is acted on when it is shown.
    void showEvent(QShowEvent* event) override;

Q_SIGNALS:
    void finished(bool ok, const QString& message);

private:
    QString m_run;
    bool m_stale = false; // a checkpoint came while hidden
    QComboBox* m_images = nullptr;
    QCheckBox* m_atCheckpoints = nullptr;
    QPushButton* m_show = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_note = nullptr;
    ImageGridView* m_view = nullptr;
    RunJob* m_job = nullptr; // computes in a thread of its own
};
