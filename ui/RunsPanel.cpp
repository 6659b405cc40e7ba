#include "RunsPanel.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

using pretext::RunSummary;

namespace {
// What tells runs apart first, then when and where they ran.
enum Column { Name, Task, Steps, BestLoss, LastLoss, Started, Device, ColumnCount };

QString number(double v) {
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'g', 4);
}

// Sorts numerically where the column holds numbers.
class NumberItem : public QTableWidgetItem {
public:
    NumberItem(const QString& text, double value) : QTableWidgetItem(text), m_value(value) {}
    bool operator<(const QTableWidgetItem& other) const override {
        const auto* o = dynamic_cast<const NumberItem*>(&other);
        return o ? (std::isnan(m_value) ? false : std::isnan(o->m_value) || m_value < o->m_value)
                 : QTableWidgetItem::operator<(other);
    }

private:
    double m_value;
};
} // namespace

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent) {
    m_workspaceLabel = new QLabel;
    m_workspaceLabel->setObjectName(QStringLiteral("workspaceLabel"));
    m_workspaceLabel->setWordWrap(true);
    m_workspaceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* choose = new QPushButton(tr("Workspace…"));
    choose->setToolTip(tr("The folder whose run folders are listed; new runs are written there"));
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Choose the runs workspace"), m_workspace);
        if (!dir.isEmpty()) {
            setWorkspace(dir);
            Q_EMIT workspaceChanged(dir);
        }
    });
    auto* refreshButton = new QPushButton(tr("Refresh"));
    connect(refreshButton, &QPushButton::clicked, this, &RunsPanel::refresh);

    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Task"), tr("Steps"), tr("Best loss"),
                                        tr("Last loss"), tr("Started"), tr("Device")});
    m_table->horizontalHeaderItem(BestLoss)->setToolTip(
        tr("Lowest held-out loss when the run measured one, else lowest batch loss"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Long folder names are elided (the tooltip holds the path) so the figures stay in view.
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Interactive);
    m_table->setColumnWidth(Name, 130);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->setToolTip(tr("Select several runs (Ctrl/Shift+click) to overlay their curves"));
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        showPreviews();
        Q_EMIT selectionChanged(selectedRunPaths());
    });

    m_resume = new QPushButton(tr("Resume"));
    m_resume->setObjectName(QStringLiteral("resumeRun"));
    m_resume->setToolTip(
        tr("Go on with the selected run from its checkpoint, with its own settings "
           "and data, up to the Training panel's 'Stop after' (or until stopped)"));
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const QStringList paths = selectedRunPaths();
        if (paths.size() == 1) {
            Q_EMIT resumeRequested(paths.front());
        }
    });
    m_report = new QPushButton(tr("Report"));
    m_report->setToolTip(tr("Write an HTML report of the selected run (config, curves, previews, "
                            "final metrics) into its folder and open it"));
    connect(m_report, &QPushButton::clicked, this, [this] {
        const QStringList paths = selectedRunPaths();
        if (paths.size() == 1) {
            Q_EMIT reportRequested(paths.front());
        }
    });
    m_export = new QPushButton(tr("Export encoder…"));
    m_export->setObjectName(QStringLiteral("exportEncoder"));
    m_export->setToolTip(tr("Write the selected run's trained encoder as a state dict for PyTorch "
                            "(torchvision's names for a ResNet) and a JSON description beside it"));
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QStringList paths = selectedRunPaths();
        if (paths.size() == 1) {
            Q_EMIT exportRequested(paths.front());
        }
    });
    m_open = new QPushButton(tr("Open folder"));
    connect(m_open, &QPushButton::clicked, this, [this] {
        for (const QString& p : selectedRunPaths()) {
            QDesktopServices::openUrl(QUrl::fromLocalFile(p));
        }
    });

    m_previewSlider = new QSlider(Qt::Horizontal);
    m_previewSlider->setObjectName(QStringLiteral("previewSlider"));
    m_previewStep = new QLabel;
    m_preview = new QLabel;
    m_preview->setObjectName(QStringLiteral("savedPreview"));
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setMinimumHeight(120);
    m_preview->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    connect(m_previewSlider, &QSlider::valueChanged, this, &RunsPanel::showPreviewAt);

    auto* top = new QHBoxLayout;
    top->addWidget(choose);
    top->addWidget(refreshButton);
    top->addStretch(1);
    // Two rows, so that the dock stays as narrow as the Data panel beside it.
    auto* buttons = new QGridLayout;
    buttons->addWidget(m_resume, 0, 0);
    buttons->addWidget(m_report, 0, 1);
    buttons->addWidget(m_export, 1, 0);
    buttons->addWidget(m_open, 1, 1);
    auto* previewRow = new QHBoxLayout;
    previewRow->addWidget(new QLabel(tr("Saved previews")));
    previewRow->addWidget(m_previewSlider, 1);
    previewRow->addWidget(m_previewStep);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_workspaceLabel);
    layout->addWidget(m_table, 2);
    layout->addLayout(buttons);
    layout->addLayout(previewRow);
    layout->addWidget(m_preview, 3);
    updateButtons();
    showPreviews();
}

void RunsPanel::setWorkspace(const QString& dir) {
    m_workspace = dir;
    m_workspaceLabel->setText(tr("Workspace: %1").arg(QDir::toNativeSeparators(dir)));
    refresh();
}

void RunsPanel::refresh() {
    const QStringList selected = selectedRunPaths();
    m_runs = pretext::scanRuns(m_workspace);
    const QSignalBlocker block(m_table);
    m_table->setSortingEnabled(false);
    m_table->setRowCount(static_cast<int>(m_runs.size()));
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunSummary& run = m_runs[r];
        auto* name = new QTableWidgetItem(run.name);
        name->setData(Qt::UserRole, run.path);
        name->setToolTip(run.problem.isEmpty()
                             ? QDir::toNativeSeparators(run.path)
                             : tr("%1: %2").arg(QDir::toNativeSeparators(run.path), run.problem));
        m_table->setItem(r, Name, name);
        m_table->setItem(r, Task, new QTableWidgetItem(run.task));
        m_table->setItem(
            r, Started,
            new QTableWidgetItem(run.started.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        m_table->setItem(r, Steps,
                         new NumberItem(run.maxSteps > 0
                                            ? tr("%1 / %2").arg(run.steps).arg(run.maxSteps)
                                            : QString::number(run.steps),
                                        static_cast<double>(run.steps)));
        m_table->setItem(r, LastLoss, new NumberItem(number(run.lastLoss), run.lastLoss));
        auto* best = new NumberItem(number(run.bestLoss), run.bestLoss);
        best->setToolTip(std::isnan(run.bestLoss)
                             ? QString()
                             : tr("%1 at step %2")
                                   .arg(run.bestIsHeldOut ? tr("held-out loss") : tr("batch loss"))
                                   .arg(run.bestStep));
        m_table->setItem(r, BestLoss, best);
        m_table->setItem(r, Device, new QTableWidgetItem(run.device));
    }
    m_table->setSortingEnabled(true);
    selectRuns(selected);
    updateButtons();
    showPreviews();
    // The selection survives the refresh, with the runs' newest curves.
    if (!selected.isEmpty()) {
        Q_EMIT selectionChanged(selectedRunPaths());
    }
}

QStringList RunsPanel::selectedRunPaths() const {
    QStringList paths;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows(Name)) {
        paths << index.data(Qt::UserRole).toString();
    }
    return paths;
}

void RunsPanel::selectRuns(const QStringList& paths) {
    m_table->clearSelection();
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (paths.contains(m_table->item(r, Name)->data(Qt::UserRole).toString())) {
            m_table->selectionModel()->select(m_table->model()->index(r, 0),
                                              QItemSelectionModel::Select |
                                                  QItemSelectionModel::Rows);
        }
    }
}

void RunsPanel::setIdle(bool idle) {
    m_idle = idle;
    updateButtons();
}

void RunsPanel::updateButtons() {
    const QStringList paths = selectedRunPaths();
    bool resumable = false;
    for (const RunSummary& run : m_runs) {
        if (paths.size() == 1 && run.path == paths.front()) {
            resumable = run.hasCheckpoint;
        }
    }
    m_resume->setEnabled(m_idle && resumable);
    m_report->setEnabled(paths.size() == 1);
    m_export->setEnabled(paths.size() == 1 && resumable); // a checkpoint to export
    m_open->setEnabled(!paths.isEmpty());
}

void RunsPanel::showPreviews() {
    const QStringList paths = selectedRunPaths();
    m_previews.clear();
    if (!paths.isEmpty()) {
        const auto previews = pretext::runPreviews(paths.back());
        for (auto it = previews.cbegin(); it != previews.cend(); ++it) {
            m_previews.append({it.key(), it.value()});
        }
    }
    const QSignalBlocker block(m_previewSlider);
    m_previewSlider->setRange(0, std::max(0, static_cast<int>(m_previews.size()) - 1));
    m_previewSlider->setEnabled(m_previews.size() > 1);
    m_previewSlider->setValue(m_previewSlider->maximum());
    showPreviewAt(m_previewSlider->value());
}

void RunsPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    showPreviewAt(m_previewSlider->value()); // the preview follows the panel's size
}

void RunsPanel::showPreviewAt(int index) {
    if (index < 0 || index >= m_previews.size()) {
        m_shownStep = -1;
        m_preview->setPixmap({});
        m_preview->setText(selectedRunPaths().isEmpty()
                               ? tr("Select a run to see its saved previews.")
                               : tr("This run saved no previews."));
        m_previewStep->clear();
        return;
    }
    const auto& [step, path] = m_previews[index];
    m_shownStep = step;
    m_previewStep->setText(tr("step %1").arg(step));
    const QPixmap pixmap(path);
    if (pixmap.isNull()) {
        m_preview->setText(tr("%1 could not be read").arg(QDir::toNativeSeparators(path)));
        return;
    }
    const QSize room = m_preview->size().expandedTo(QSize(200, 120));
    m_preview->setPixmap(pixmap.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}
