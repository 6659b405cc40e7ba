#pragma once
// The runs dock: the run folders under a workspace directory the user chooses (task,
// start, steps, last and best loss, device), several selectable for comparison; the
// selected run's saved previews over steps on a slider; resume and report buttons.
// Reads run folders only (RunHistory); what to do with a choice is the window's.
#include "RunHistory.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSlider;
class QTableWidget;

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);
    void setWorkspace(const QString& dir);
    QString workspace() const { return m_workspace; }
    // The listed runs, as last read.
    const QList<pretext::RunSummary>& runs() const { return m_runs; }
    QStringList selectedRunPaths() const;
    // Selects these runs in the list (the others are unselected).
    void selectRuns(const QStringList& paths);
    // Whether Resume may be offered (no run is going).
    void setIdle(bool idle);
    QTableWidget* table() const { return m_table; }
    QSlider* previewSlider() const { return m_previewSlider; }
    // The saved preview shown, and its step (-1: none).
    qint64 shownPreviewStep() const { return m_shownStep; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void workspaceChanged(const QString& dir);
    void selectionChanged(const QStringList& runPaths);
    void resumeRequested(const QString& runPath);
    void reportRequested(const QString& runPath);
    void exportRequested(const QString& runPath);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void showPreviews();
    void showPreviewAt(int index);
    void updateButtons();

    QString m_workspace;
    QList<pretext::RunSummary> m_runs;
    QLabel* m_workspaceLabel = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_report = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_open = nullptr;
    QSlider* m_previewSlider = nullptr;
    QLabel* m_previewStep = nullptr;
    QLabel* m_preview = nullptr;
    QList<QPair<qint64, QString>> m_previews;
    qint64 m_shownStep = -1;
    bool m_idle = true;
};
