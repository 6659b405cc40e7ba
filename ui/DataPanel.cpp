#include "DataPanel.h"

#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

DataPanel::DataPanel(QWidget* parent) : QWidget(parent) {
    auto* openFiles = new QPushButton(tr("Open images…"), this);
    auto* openFolder = new QPushButton(tr("Open folder…"), this);
    auto* demo = new QPushButton(tr("Demo set"), this);
    demo->setToolTip(tr("The built-in procedural images: shapes, gradients, textures, occluders"));
    m_buttons = {openFiles, openFolder, demo};
    connect(openFiles, &QPushButton::clicked, this, &DataPanel::openFilesRequested);
    connect(openFolder, &QPushButton::clicked, this, &DataPanel::openFolderRequested);
    connect(demo, &QPushButton::clicked, this, &DataPanel::demoRequested);

    m_size = new QSpinBox(this);
    m_size->setObjectName(QStringLiteral("sizeSpin"));
    m_size->setRange(16, 256);
    m_size->setSingleStep(8);
    m_size->setValue(64);
    m_size->setSuffix(tr(" px"));
    m_size->setKeyboardTracking(false); // reload once the user has finished typing
    m_size->setToolTip(tr("Images are cropped to a square and resized to this size once, when "
                          "loaded; changing it reloads the current images"));
    connect(m_size, qOverload<int>(&QSpinBox::valueChanged), this, &DataPanel::sizeChanged);

    m_count = new QLabel(tr("Nothing loaded"), this);
    m_count->setObjectName(QStringLiteral("dataCount"));
    m_count->setWordWrap(true);

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
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openFiles);
    buttons->addWidget(openFolder);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(demo);
    layout->addLayout(form);
    layout->addWidget(m_count);
    layout->addWidget(m_taskNote);
    layout->addWidget(m_thumbnails, 1);
    layout->addWidget(m_skippedTitle);
    layout->addWidget(m_skipped);
}

int DataPanel::sizePx() const { return m_size->value(); }

void DataPanel::showSummary(const pretext::DataSummary& summary) {
    m_thumbnails->clear();
    for (int i = 0; i < summary.thumbnails.size(); ++i) {
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(summary.thumbnails[i])), QString());
        item->setToolTip(tr("image %1").arg(i + 1));
        m_thumbnails->addItem(item);
    }
    QString text = summary.count == 0
                       ? tr("Nothing loaded")
                       : tr("<b>%1</b> images at %2×%2 px<br>%3")
                             .arg(summary.count)
                             .arg(summary.sizePx)
                             .arg(summary.label.toHtmlEscaped());
    if (summary.count > summary.thumbnails.size()) {
        text += tr("<br>(first %1 shown)").arg(summary.thumbnails.size());
    }
    m_count->setText(text);
    const bool anySkipped = !summary.skipped.isEmpty();
    m_skippedTitle->setVisible(anySkipped);
    m_skipped->setVisible(anySkipped);
    if (anySkipped) {
        m_skippedTitle->setText(tr("<b>%n file(s) skipped:</b>", nullptr, summary.skipped.size()));
        m_skipped->setPlainText(pretext::formatSkipped(summary.skipped, 500));
    }
}

void DataPanel::showTaskNote(const QString& note) {
    m_taskNote->setText(tr("<i>%1</i>").arg(note.toHtmlEscaped()));
    m_taskNote->setVisible(!note.isEmpty());
}

void DataPanel::showLoading(int done, int total) {
    m_count->setText(tr("Loading… %1 of %2 files").arg(done).arg(total));
}

void DataPanel::setBusy(bool busy) {
    for (QWidget* w : m_buttons) {
        w->setEnabled(!busy);
    }
    m_size->setEnabled(!busy);
}
