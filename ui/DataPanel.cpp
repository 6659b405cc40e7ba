#include "DataPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

DataPanel::DataPanel(QWidget* parent) : QWidget(parent) {
    auto* openFiles = new QPushButton(tr("Open images…"), this);
    auto* openFolder = new QPushButton(tr("Open folder…"), this);
    auto* openVideos = new QPushButton(tr("Open video…"), this);
    openVideos->setObjectName(QStringLiteral("openVideoButton"));
    auto* demo = new QPushButton(tr("Demo set"), this);
    demo->setToolTip(tr("The built-in procedural images (shapes, gradients, textures, occluders) "
                        "and a procedural video (moving, turning, occluding shapes)"));
    m_buttons = {openFiles, openFolder, openVideos, demo};
    connect(openFiles, &QPushButton::clicked, this, &DataPanel::openFilesRequested);
    connect(openVideos, &QPushButton::clicked, this, &DataPanel::openVideosRequested);
    connect(openFolder, &QPushButton::clicked, this, &DataPanel::openFolderRequested);
    connect(demo, &QPushButton::clicked, this, &DataPanel::demoRequested);

    m_size = new QSpinBox(this);
    m_size->setObjectName(QStringLiteral("sizeSpin"));
    m_size->setRange(16, 256);
    m_size->setSingleStep(8);
    m_size->setValue(64);
    m_size->setSuffix(tr(" px"));
    m_size->setKeyboardTracking(false); // reload once the user has finished typing
    m_size->setToolTip(
        tr("Images are cropped to a square and resized to this size once, when "
           "loaded; changing it reloads the current images (Context Encoders: 128 px; "
           "Noroozi & Favaro: 225-pixel crops; Gidaris et al.: 32 px on CIFAR-10)"));
    connect(m_size, qOverload<int>(&QSpinBox::valueChanged), this, &DataPanel::sizeChanged);

    m_stride = new QSpinBox(this);
    m_stride->setObjectName(QStringLiteral("videoStrideSpin"));
    m_stride->setRange(1, 1000);
    m_stride->setValue(1);
    m_stride->setKeyboardTracking(false);
    m_stride->setToolTip(tr("Videos: keep every Nth frame (a larger stride means more motion "
                            "between the frames of a tuple)"));
    QSettings settings;
    m_budget = new QSpinBox(this);
    m_budget->setObjectName(QStringLiteral("memorySpin"));
    m_budget->setRange(16, 65536);
    m_budget->setSingleStep(64);
    m_budget->setValue(settings.value(QStringLiteral("data/memoryMb"), 512).toInt());
    m_budget->setSuffix(tr(" MB"));
    m_budget->setKeyboardTracking(false);
    m_budget->setToolTip(
        tr("Memory the decoded images or video frames may take, all files together. A set that "
           "fits is decoded once and kept; a larger one is read from the files as training asks "
           "(videos clip by clip), and its memory no longer grows with it"));
    m_pipeline = new QComboBox(this);
    m_pipeline->setObjectName(QStringLiteral("pipelineCombo"));
    m_pipeline->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_pipeline->addItem(tr("Keep decoded"), QStringLiteral("cache"));
    m_pipeline->addItem(tr("From the files"), QStringLiteral("stream"));
    m_pipeline->setCurrentIndex(
        std::max(0, m_pipeline->findData(settings.value(QStringLiteral("data/pipeline"), "auto"))));
    m_pipeline->setToolTip(
        tr("How training reads image files and videos. Automatic: decoded once and kept when "
           "they fit the memory above, else read from the files. Keep decoded: always kept "
           "(fastest; memory grows with the set). From the files: decoded as training asks, "
           "in decode threads, while the previous batch trains"));
    m_threads = new QSpinBox(this);
    m_threads->setObjectName(QStringLiteral("decodeThreadsSpin"));
    m_threads->setRange(0, 64);
    m_threads->setValue(settings.value(QStringLiteral("data/decodeThreads"), 0).toInt());
    m_threads->setSpecialValueText(tr("Automatic (half the CPUs)"));
    m_threads->setKeyboardTracking(false);
    m_threads->setToolTip(tr("Threads that decode, crop and resize image files and video clips "
                             "while training runs; the Data panel and the status bar say how "
                             "long training waited for them"));
    m_maxMegapixels = new QSpinBox(this);
    m_maxMegapixels->setObjectName(QStringLiteral("maxMegapixelsSpin"));
    m_maxMegapixels->setRange(1, 4000);
    m_maxMegapixels->setValue(QSettings().value(QStringLiteral("data/maxMegapixels"), 64).toInt());
    m_maxMegapixels->setSuffix(tr(" MP"));
    m_maxMegapixels->setKeyboardTracking(false);
    m_maxMegapixels->setToolTip(
        tr("Images (and video frames) larger than this are skipped and named, "
           "judged from the file's header before any pixel is decoded: a "
           "damaged or hostile file claiming 30000x30000 pixels cannot take "
           "the memory. Raise it for very large photographs."));
    connect(m_maxMegapixels, qOverload<int>(&QSpinBox::valueChanged), this, [this](int mp) {
        QSettings().setValue(QStringLiteral("data/maxMegapixels"), mp);
        Q_EMIT limitChanged();
    });
    connect(m_stride, qOverload<int>(&QSpinBox::valueChanged), this,
            &DataPanel::videoOptionsChanged);
    connect(m_budget, qOverload<int>(&QSpinBox::valueChanged), this, [this](int mb) {
        QSettings().setValue(QStringLiteral("data/memoryMb"), mb);
        Q_EMIT pipelineChanged();
    });
    connect(m_threads, qOverload<int>(&QSpinBox::valueChanged), this, [this](int threads) {
        QSettings().setValue(QStringLiteral("data/decodeThreads"), threads);
        Q_EMIT pipelineChanged();
    });
    connect(m_pipeline, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        QSettings().setValue(QStringLiteral("data/pipeline"), pipelineMode());
        Q_EMIT pipelineChanged();
    });
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelLoadButton"));
    connect(m_cancel, &QPushButton::clicked, this, &DataPanel::cancelLoadRequested);
    m_progress->hide();
    m_cancel->hide();

    m_count = new QLabel(tr("Nothing loaded"), this);
    m_count->setObjectName(QStringLiteral("dataCount"));
    m_count->setWordWrap(true);

    m_notes = new QLabel(this);
    m_notes->setObjectName(QStringLiteral("dataNotes"));
    m_notes->setWordWrap(true);
    m_notes->hide();

    m_taskNote = new QLabel(this);
    m_taskNote->setObjectName(QStringLiteral("taskDataNote"));
    m_taskNote->setWordWrap(true);
    m_taskNote->hide();

    m_thumbnails = new QListWidget(this);
    m_thumbnails->setObjectName(QStringLiteral("thumbnailList"));
    m_thumbnails->setViewMode(QListView::IconMode);
    m_thumbnails->setIconSize(QSize(48, 48));
    m_thumbnails->setResizeMode(QListView::Adjust);
    m_thumbnails->setMovement(QListView::Static);
    m_thumbnails->setUniformItemSizes(true);
    m_thumbnails->setSpacing(2);

    m_skippedTitle = new QLabel(this);
    m_skipped = new QPlainTextEdit(this);
    m_skipped->setObjectName(QStringLiteral("skippedList"));
    m_skipped->setReadOnly(true);
    m_skipped->setMaximumHeight(110);
    m_skippedTitle->hide();
    m_skipped->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Training size"), m_size);
    form->addRow(tr("Video stride"), m_stride);
    form->addRow(tr("Memory"), m_budget);
    form->addRow(tr("Reading"), m_pipeline);
    form->addRow(tr("Decode threads"), m_threads);
    form->addRow(tr("Largest image"), m_maxMegapixels);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openFiles);
    buttons->addWidget(openFolder);
    auto* moreButtons = new QHBoxLayout;
    moreButtons->addWidget(openVideos);
    moreButtons->addWidget(demo);
    auto* progress = new QHBoxLayout;
    progress->addWidget(m_progress, 1);
    progress->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(moreButtons);
    layout->addLayout(form);
    layout->addLayout(progress);
    layout->addWidget(m_count);
    layout->addWidget(m_notes);
    layout->addWidget(m_taskNote);
    layout->addWidget(m_thumbnails, 1);
    layout->addWidget(m_skippedTitle);
    layout->addWidget(m_skipped);
}

int DataPanel::sizePx() const {
    return m_size->value();
}
void DataPanel::setSizePx(int sizePx, bool reload) {
    const QSignalBlocker block(reload ? nullptr : m_size);
    m_size->setValue(sizePx);
}
int DataPanel::videoStride() const {
    return m_stride->value();
}
int DataPanel::memoryMb() const {
    return m_budget->value();
}
QString DataPanel::pipelineMode() const {
    return m_pipeline->currentData().toString();
}
int DataPanel::decodeThreads() const {
    return m_threads->value();
}
int DataPanel::maxMegapixels() const {
    return m_maxMegapixels->value();
}

void DataPanel::showSummary(const pretext::DataSummary& summary) {
    m_thumbnails->clear();
    for (int i = 0; i < summary.thumbnails.size(); ++i) {
        auto* item =
            new QListWidgetItem(QIcon(QPixmap::fromImage(summary.thumbnails[i])), QString());
        item->setToolTip(tr("image %1").arg(i + 1));
        m_thumbnails->addItem(item);
    }
    m_progress->hide();
    m_cancel->hide();
    QString text;
    if (summary.count == 0) {
        text = tr("Nothing loaded");
    } else if (summary.framesAreImages && summary.streamed) {
        text = tr("<b>%1</b> frames of %n video(s) at %2×%2 px, read clip by clip; %3 of them "
                  "(%4 MB) kept for the image tasks<br>%5",
                  nullptr, summary.videos)
                   .arg(summary.count)
                   .arg(summary.sizePx)
                   .arg(summary.keptImages)
                   .arg(summary.cacheMb, 0, 'f', 1)
                   .arg(summary.label.toHtmlEscaped());
    } else if (summary.framesAreImages) {
        text = tr("<b>%1</b> frames of %n video(s) at %2×%2 px, %3 MB of the %4 MB "
                  "memory<br>%5",
                  nullptr, summary.videos)
                   .arg(summary.count)
                   .arg(summary.sizePx)
                   .arg(summary.cacheMb, 0, 'f', 1)
                   .arg(summary.budgetMb)
                   .arg(summary.label.toHtmlEscaped());
    } else {
        text = tr("<b>%1</b> images at %2×%2 px<br>%3")
                   .arg(summary.count)
                   .arg(summary.sizePx)
                   .arg(summary.label.toHtmlEscaped());
    }
    if (!summary.pipeline.isEmpty()) {
        text += tr("<br><i>%1</i>").arg(summary.pipeline.toHtmlEscaped());
    }
    if (summary.count > summary.thumbnails.size()) {
        text += tr("<br>(%1 shown, spread over the set)").arg(summary.thumbnails.size());
    }
    m_count->setText(text);
    m_notes->setText(summary.notes.join(QLatin1Char('\n')));
    m_notes->setVisible(!summary.notes.isEmpty());
    const bool anySkipped = !summary.skipped.isEmpty();
    m_skippedTitle->setVisible(anySkipped);
    m_skipped->setVisible(anySkipped);
    if (anySkipped) {
        m_skippedTitle->setText(tr("<b>%n file(s) skipped:</b>", nullptr, summary.skipped.size()));
        m_skipped->setPlainText(pretext::formatSkipped(summary.skipped, 500));
    }
}

void DataPanel::noteSkippedDuringTraining(const QStringList& files) {
    if (files.isEmpty()) {
        return;
    }
    for (const QString& line : files) {
        m_skipped->appendPlainText(tr("%1 (during training)").arg(line));
    }
    m_skippedTitle->setText(
        tr("<b>%n file(s) skipped:</b>", nullptr, m_skipped->document()->blockCount()));
    m_skippedTitle->show();
    m_skipped->show();
}

void DataPanel::showTaskNote(const QString& note) {
    m_taskNote->setText(tr("<i>%1</i>").arg(note.toHtmlEscaped()));
    m_taskNote->setVisible(!note.isEmpty());
}

void DataPanel::showLoading(int done, int total) {
    m_count->setText(tr("Loading… %1 of %2 files").arg(done).arg(total));
}

void DataPanel::showVideoLoading(qint64 frames, qint64 expected) {
    m_progress->setRange(0, static_cast<int>(std::max<qint64>(frames, expected)));
    m_progress->setValue(static_cast<int>(frames));
    m_progress->setFormat(tr("%v of ~%m frames"));
    m_progress->show();
    m_cancel->show();
    m_cancel->setEnabled(true);
    m_count->setText(tr("Decoding video…"));
}

void DataPanel::setBusy(bool busy) {
    for (QWidget* w : m_buttons) {
        w->setEnabled(!busy);
    }
    if (!busy) {
        m_progress->hide();
        m_cancel->hide();
    }
    m_size->setEnabled(!busy);
    m_stride->setEnabled(!busy);
    m_budget->setEnabled(!busy);
    m_pipeline->setEnabled(!busy);
    m_threads->setEnabled(!busy);
}
