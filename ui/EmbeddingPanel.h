#pragma once
// The Embedding view: what the encoder's features look like. A run (chosen in the Runs
// panel, or the one training) and held-out images (Fashion-MNIST, IDX files, a folder per
// class, or any folder of images); the map of one stage's features (t-SNE or PCA) with
// the class separation beside the random-init encoder's; hover a dot to see its image
// beside it, click it to see its nearest neighbours at every stage, trained and at random
// initialisation. Made on demand and, while a run trains, at each of its checkpoints,
// gliding from one to the next. The map is made in a thread of its own.
#include "EmbedRun.h"

#include <QWidget>

class EmbeddingMap;
class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class RunJob;

class EmbeddingPanel : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingPanel(QWidget* parent = nullptr);
    ~EmbeddingPanel() override;
    // The run the map shows; a map of another run's images glides into it.
    void setRun(const QString& runDir);
    QString run() const { return m_run; }
    // A checkpoint of `runDir` was written: with "at checkpoints" on, the map of that run
    // is made again (after the one in progress, if any).
    void checkpointWritten(const QString& runDir);
    // Makes the map of the run now (nothing when one is being made).
    void startMap();
    bool isBusy() const;
    const pretext::EmbedMap& map() const { return m_map; }
    EmbeddingMap* mapView() const { return m_view; }
    // Selects image `index` of the map: its neighbours fill the table.
    void selectImage(int index);
    QTableWidget* neighbourTable() const { return m_neighbours; }

protected:
    // A checkpoint written while the view was hidden is acted on when it is shown.
    void showEvent(QShowEvent* event) override;

Q_SIGNALS:
    void mapFinished(bool ok, const QString& message);

private:
    void showMap(const pretext::EmbedMap& map);
    void updateButtons();

    QString m_run;
    bool m_stale = false; // a checkpoint came while hidden
    pretext::EmbedMap m_map;
    QComboBox* m_images = nullptr;
    QSpinBox* m_count = nullptr;
    QComboBox* m_method = nullptr;
    QComboBox* m_stage = nullptr;
    QComboBox* m_colourBy = nullptr;
    QCheckBox* m_atCheckpoints = nullptr;
    QPushButton* m_make = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_summary = nullptr;
    EmbeddingMap* m_view = nullptr;
    QTableWidget* m_neighbours = nullptr;
    QLabel* m_neighbourNote = nullptr;
    RunJob* m_job = nullptr; // makes the map in a thread of its own
};
