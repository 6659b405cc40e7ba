#include "EmbeddingPanel.h"

#include "EmbeddingMap.h"
#include "RunJob.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <memory>

namespace {
constexpr int kNeighbours = 5;
constexpr int kThumb = 44;

QPixmap thumbnail(const QImage& image, int side) {
    return QPixmap::fromImage(
        image.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation));
}
} // namespace

EmbeddingPanel::EmbeddingPanel(QWidget* parent) : QWidget(parent) {
    QSettings settings;
    m_images = new QComboBox;
    m_images->setObjectName(QStringLiteral("embedImages"));
    m_images->setEditable(true);
    // A long path must not widen the window.
    m_images->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_images->setMinimumContentsLength(10);
    m_images->addItem(QStringLiteral("fashion-mnist"));
    m_images->setCurrentText(
        settings.value(QStringLiteral("embedding/images"), QStringLiteral("fashion-mnist"))
            .toString());
    m_images->setToolTip(tr("Held-out images to map: 'fashion-mnist', a folder of IDX files or a "
                            "folder per class (their test images, coloured by class), or any "
                            "folder of images (coloured by brightness or saturation)."));
    auto* browse = new QPushButton(tr("Folder…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Images to map"));
        if (!dir.isEmpty()) {
            m_images->setCurrentText(dir);
        }
    });
    m_count = new QSpinBox;
    m_count->setRange(50, 20000);
    m_count->setSingleStep(500);
    m_count->setSuffix(tr(" images"));
    m_count->setValue(settings.value(QStringLiteral("embedding/count"), 2000).toInt());
    m_count->setToolTip(tr("Images drawn (seeded, the same at every checkpoint). t-SNE of "
                           "2,000 takes a few seconds."));
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("embedMethod"));
    m_method->addItem(tr("t-SNE"), QStringLiteral("tsne"));
    m_method->addItem(tr("PCA"), QStringLiteral("pca"));
    m_method->setToolTip(tr("t-SNE keeps each image's neighbours near it (distances between "
                            "clusters mean little); PCA is the linear view, the two directions "
                            "of largest variance."));
    m_method->setCurrentIndex(settings.value(QStringLiteral("embedding/method"), 0).toInt());
    m_stage = new QComboBox;
    m_stage->setObjectName(QStringLiteral("embedStage"));
    m_stage->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_stage->setMinimumContentsLength(10);
    m_stage->addItem(tr("last stage"), 0);
    m_stage->setToolTip(tr("Which encoder stage's features are mapped (global average pooled)"));
    m_colourBy = new QComboBox;
    m_colourBy->addItem(tr("brightness"), QStringLiteral("brightness"));
    m_colourBy->addItem(tr("saturation"), QStringLiteral("saturation"));
    m_colourBy->setToolTip(tr("What colours the dots of unlabelled images (labelled ones are "
                              "coloured by class)"));
    m_atCheckpoints = new QCheckBox(tr("At checkpoints"));
    m_atCheckpoints->setObjectName(QStringLiteral("embedAtCheckpoints"));
    m_atCheckpoints->setChecked(
        settings.value(QStringLiteral("embedding/atCheckpoints"), true).toBool());
    m_atCheckpoints->setToolTip(
        tr("While a run trains, map it again at each checkpoint it writes (every 250 steps), "
           "the dots gliding to their new places"));
    m_make = new QPushButton(tr("Map"));
    m_make->setObjectName(QStringLiteral("embedButton"));
    m_make->setToolTip(tr("Embed the images with the run's latest checkpoint and map them"));
    connect(m_make, &QPushButton::clicked, this, &EmbeddingPanel::startMap);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->hide();
    connect(m_atCheckpoints, &QCheckBox::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("embedding/atCheckpoints"), on); });

    auto* imagesRow = new QHBoxLayout;
    imagesRow->addWidget(m_images, 1);
    imagesRow->addWidget(browse);
    imagesRow->addWidget(m_count);
    imagesRow->addWidget(m_colourBy);
    auto* mapRow = new QHBoxLayout;
    mapRow->addWidget(m_method);
    mapRow->addWidget(m_stage);
    mapRow->addWidget(m_atCheckpoints);
    mapRow->addStretch();
    mapRow->addWidget(m_make);
    auto* form = new QFormLayout;
    form->addRow(tr("Images:"), imagesRow);
    form->addRow(tr("Map:"), mapRow);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("embedSummary"));
    m_summary->setWordWrap(true);
    m_view = new EmbeddingMap;
    m_view->setMinimumHeight(140);
    // One row per stage: the image, its neighbours by this run's encoder, then by the
    // same architecture at random initialisation (what training changed).
    m_neighbours = new QTableWidget(0, 2 * kNeighbours + 1);
    m_neighbours->setObjectName(QStringLiteral("embedNeighbours"));
    m_neighbours->setIconSize({kThumb, kThumb});
    m_neighbours->horizontalHeader()->setDefaultSectionSize(kThumb + 22);
    m_neighbours->horizontalHeader()->setMinimumSectionSize(kThumb + 22);
    m_neighbours->verticalHeader()->setDefaultSectionSize(kThumb + 20);
    m_neighbours->setEditTriggers(QAbstractItemView::NoEditTriggers);
    QStringList headers{tr("image")};
    for (int k = 1; k <= kNeighbours; ++k) {
        headers << tr("trained %1").arg(k);
    }
    for (int k = 1; k <= kNeighbours; ++k) {
        headers << tr("random %1").arg(k);
    }
    m_neighbours->setHorizontalHeaderLabels(headers);
    m_neighbours->setToolTip(tr("The clicked image's nearest neighbours by cosine similarity of "
                                "each stage's features: this run's encoder, then the same "
                                "architecture at random initialisation (what training changed)"));
    m_neighbourNote = new QLabel(tr("Click a dot: its nearest neighbours at every stage appear "
                                    "here, by this run's encoder and at random initialisation."));
    m_neighbourNote->setObjectName(QStringLiteral("embedNeighbourNote"));
    // One line, cut at the panel's width (the whole of it in the tooltip).
    m_neighbourNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_neighbours->setMinimumHeight(kThumb + 60); // the header and one stage
    connect(m_neighbours, &QTableWidget::cellClicked, this, [this](int row, int column) {
        const QTableWidgetItem* item = m_neighbours->item(row, column);
        if (item != nullptr && column > 0) {
            selectImage(item->data(Qt::UserRole).toInt());
        }
    });
    auto* below = new QWidget;
    auto* belowLayout = new QVBoxLayout(below);
    belowLayout->setContentsMargins(0, 0, 0, 0);
    belowLayout->addWidget(m_neighbourNote);
    belowLayout->addWidget(m_neighbours, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_view);
    split->addWidget(below);
    split->setSizes({300, 200});
    split->setCollapsible(0, false);

    auto* summaryRow = new QHBoxLayout;
    summaryRow->addWidget(m_busy, 0, Qt::AlignTop);
    summaryRow->addWidget(m_summary, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(summaryRow);
    layout->addWidget(split, 1);

    m_job = new RunJob(QStringLiteral("embedding"), this);
    connect(m_view, &EmbeddingMap::imageClicked, this, &EmbeddingPanel::selectImage);
    setRun({});
}

EmbeddingPanel::~EmbeddingPanel() = default; // m_job cancels and waits

void EmbeddingPanel::setRun(const QString& runDir) {
    if (runDir == m_run && !runDir.isEmpty()) {
        return;
    }
    m_run = runDir;
    m_make->setToolTip(runDir.isEmpty()
                           ? tr("Choose a run in the Runs panel, or train one")
                           : tr("Embed the images with the latest checkpoint of %1 and map them")
                                 .arg(QDir::toNativeSeparators(runDir)));
    if (m_map.isEmpty()) {
        m_summary->setText(
            runDir.isEmpty()
                ? tr("The map shows how the encoder arranges held-out images: choose a run, "
                     "then Map. Classes that gather in their own regions are what a linear "
                     "probe can separate.")
                : tr("Run %1: press Map to embed the images with its latest checkpoint.")
                      .arg(QFileInfo(runDir).fileName()));
    }
    updateButtons();
}

bool EmbeddingPanel::isBusy() const {
    return m_job->busy();
}

void EmbeddingPanel::updateButtons() {
    m_make->setEnabled(!m_run.isEmpty() && !m_job->busy());
}

void EmbeddingPanel::checkpointWritten(const QString& runDir) {
    if (!m_atCheckpoints->isChecked() || runDir.isEmpty()) {
        return;
    }
    setRun(runDir);
    if (!isVisible()) {
        m_stale = true; // no work for a view nobody looks at
        return;
    }
    m_job->request([this] { startMap(); });
}

void EmbeddingPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale && m_atCheckpoints->isChecked()) {
        m_stale = false;
        m_job->request([this] { startMap(); });
    }
}

void EmbeddingPanel::startMap() {
    if (m_run.isEmpty() || m_job->busy()) {
        return;
    }
    m_stale = false;
    QSettings settings;
    settings.setValue(QStringLiteral("embedding/images"), m_images->currentText().trimmed());
    settings.setValue(QStringLiteral("embedding/count"), m_count->value());
    settings.setValue(QStringLiteral("embedding/method"), m_method->currentIndex());
    pretext::EmbedRequest q;
    q.runDir = m_run;
    q.images = m_images->currentText().trimmed();
    q.count = m_count->value();
    q.method = m_method->currentData().toString();
    q.stage = m_stage->currentData().toInt();
    q.colourBy = m_colourBy->currentData().toString();
    auto previous = std::make_shared<pretext::EmbedMap>(m_map);
    m_job->run<pretext::EmbedMap>(
        [q, previous](const pretext::CancelToken& cancel) {
            pretext::EmbedRequest request = q;
            request.cancel = cancel;
            return pretext::embedRun(request, previous->isEmpty() ? nullptr : previous.get());
        },
        [this](const pretext::EmbedMap& map, const QString& error) {
            m_busy->hide();
            updateButtons();
            if (!error.isEmpty()) {
                m_summary->setText(tr("The map could not be made: %1").arg(error));
                Q_EMIT mapFinished(false, error);
                return;
            }
            showMap(map);
            Q_EMIT mapFinished(true, tr("Map of %1 at step %2 made in %3 s")
                                         .arg(QFileInfo(map.run).fileName())
                                         .arg(map.step)
                                         .arg(map.featureSeconds + map.mapSeconds, 0, 'f', 1));
        });
    m_busy->show();
    m_summary->setText(tr("Embedding %1 images with %2's latest checkpoint, then the map…")
                           .arg(q.count)
                           .arg(QFileInfo(m_run).fileName()));
    updateButtons();
}

void EmbeddingPanel::showMap(const pretext::EmbedMap& map) {
    const int selected = m_view->selectedImage();
    const bool sameImages = m_map.names == map.names;
    m_map = map;
    // The stage choice follows the encoder's stages.
    const int chosen = m_stage->currentData().toInt();
    if (m_stage->count() != map.stages + 1) {
        m_stage->clear();
        m_stage->addItem(tr("last stage"), 0);
        for (int s = 1; s <= map.stages; ++s) {
            m_stage->addItem(tr("stage %1 (%2)").arg(s).arg(map.dims.value(s - 1)), s);
        }
        m_stage->setCurrentIndex(std::max(0, m_stage->findData(chosen)));
    }
    QString separation;
    if (map.labelled()) {
        separation = tr(" Classes apart (silhouette, −1 to 1): <b>%1</b>, at random init %2.")
                         .arg(map.silhouette, 0, 'f', 3)
                         .arg(map.randomSilhouette, 0, 'f', 3);
    }
    m_summary->setText(
        tr("<b>%1</b> (%2) at step %3, stage %4 (%5 features), %6: %7.%8")
            .arg(map.task.toHtmlEscaped(), QFileInfo(map.run).fileName().toHtmlEscaped())
            .arg(map.step)
            .arg(map.stage)
            .arg(map.dims.value(map.stage - 1))
            .arg(map.method.toHtmlEscaped(), map.source.toHtmlEscaped(), separation));
    m_summary->setToolTip(tr("Features took %1 s, the map %2 s. Hover a dot to see its image; "
                             "click it for its neighbours; drag to move, wheel to zoom.")
                              .arg(map.featureSeconds, 0, 'f', 1)
                              .arg(map.mapSeconds, 0, 'f', 1));
    m_view->setMap(map);
    if (sameImages && selected >= 0) {
        selectImage(selected);
    } else {
        m_neighbours->setRowCount(0);
    }
}

void EmbeddingPanel::selectImage(int index) {
    if (index < 0 || index >= m_map.names.size()) {
        return;
    }
    m_neighbours->setRowCount(0);
    QVector<int> ringed;
    const QBrush same(QColor(60, 170, 90, 70));
    QStringList agreement;
    for (int stage = m_map.stages; stage >= 1; --stage) {
        const int row = m_neighbours->rowCount();
        m_neighbours->insertRow(row);
        auto* query =
            new QTableWidgetItem(QIcon(thumbnail(m_map.thumbnails[index], kThumb)), QString());
        query->setToolTip(m_view->caption(index));
        m_neighbours->setItem(row, 0, query);
        QString header = tr("stage %1").arg(stage);
        for (const bool random : {false, true}) {
            const auto found = pretext::embedNeighbours(m_map, index, stage, random, kNeighbours);
            int sameClass = 0;
            for (int k = 0; k < found.size(); ++k) {
                const int n = found[k].index;
                auto* item =
                    new QTableWidgetItem(QIcon(thumbnail(m_map.thumbnails.value(n), kThumb)),
                                         QString::number(found[k].similarity, 'f', 2));
                item->setData(Qt::UserRole, n);
                item->setToolTip(
                    (random ? tr("random init: %1") : tr("trained: %1")).arg(m_view->caption(n)) +
                    tr("\ncosine similarity %1 (click: its own neighbours)")
                        .arg(found[k].similarity, 0, 'f', 3));
                if (m_map.labelled() && m_map.labels.value(n) == m_map.labels.value(index)) {
                    item->setBackground(same);
                    ++sameClass;
                }
                m_neighbours->setItem(row, 1 + (random ? kNeighbours : 0) + k, item);
                if (stage == m_map.stage && !random) {
                    ringed << n;
                }
            }
            if (m_map.labelled()) {
                header += (random ? QStringLiteral(" · %1/%2") : QStringLiteral("\n%1/%2"))
                              .arg(sameClass)
                              .arg(found.size());
            }
        }
        m_neighbours->setVerticalHeaderItem(row, new QTableWidgetItem(header));
    }
    m_neighbourNote->setText(
        m_map.labelled()
            ? tr("Neighbours of %1 (%2), by cosine similarity; same class shaded, counted "
                 "(trained · random init) beside each stage.")
                  .arg(QFileInfo(m_map.names[index]).fileName(),
                       m_map.classes.value(m_map.labels.value(index)))
            : tr("Neighbours of %1, by cosine similarity: this run's encoder, then random "
                 "initialisation.")
                  .arg(QFileInfo(m_map.names[index]).fileName()));
    m_neighbourNote->setToolTip(m_neighbourNote->text());
    m_view->setSelection(index, ringed);
}
