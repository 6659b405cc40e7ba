#pragma once
// What is loaded: open buttons, training size, a thumbnail strip with the count,
// and the files that were skipped with their reasons.
#include "SessionTypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

class DataPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataPanel(QWidget* parent = nullptr);
    int sizePx() const;
    // Sets the image size; a change reloads the data (sizeChanged) unless `reload` is false.
    void setSizePx(int sizePx, bool reload = true);
    void showSummary(const pretext::DataSummary& summary);
    void showLoading(int done, int total);
    // Decoding videos: a progress bar over the frames, with a Cancel button.
    void showVideoLoading(qint64 frames, qint64 expected);
    int videoStride() const;
    // Memory for decoded images or frames (remembered): a set over it is read from the files.
    int memoryMb() const;
    // How training reads files: "auto", "cache" or "stream" (remembered).
    QString pipelineMode() const;
    // Decode threads; 0: half the CPUs (remembered).
    int decodeThreads() const;
    // The largest image or video frame loaded, in megapixels (remembered).
    int maxMegapixels() const;
    // What the chosen task makes of the loaded set (e.g. grayscale images it skips).
    void showTaskNote(const QString& note);
    // Files met during training that could not be used ("path reason" each).
    void noteSkippedDuringTraining(const QStringList& files);
    void setBusy(bool busy);

Q_SIGNALS:
    void openFilesRequested();
    void openFolderRequested();
    void openVideosRequested();
    void cancelLoadRequested();
    void videoOptionsChanged();
    // How files are read (memory, reading, decode threads) changed: reload the files.
    void pipelineChanged();
    // The largest-image limit changed: loaded files are read again under it.
    void limitChanged();
    void demoRequested();
    void sizeChanged(int sizePx);

private:
    QSpinBox* m_size = nullptr;
    QSpinBox* m_stride = nullptr;
    QSpinBox* m_budget = nullptr;
    QComboBox* m_pipeline = nullptr;
    QSpinBox* m_threads = nullptr;
    QSpinBox* m_maxMegapixels = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_notes = nullptr;
    QLabel* m_count = nullptr;
    QLabel* m_taskNote = nullptr;
    QListWidget* m_thumbnails = nullptr;
    QLabel* m_skippedTitle = nullptr;
    QPlainTextEdit* m_skipped = nullptr;
    QList<QWidget*> m_buttons;
};
