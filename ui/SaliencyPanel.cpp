#include "SaliencyPanel.h"

#include "ImageGridView.h"
#include "RunJob.h"
#include "SaliencyRun.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

SaliencyPanel::SaliencyPanel(QWidget* parent) : QWidget(parent) {
    m_images = new QComboBox;
    m_images->setObjectName(QStringLiteral("saliencyImages"));
    m_images->setEditable(true);
    m_images->addItems({QStringLiteral("demo"), QStringLiteral("fashion-mnist")});
    m_images->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_images->setMinimumContentsLength(10);
    m_images->setToolTip(tr("Held-out images the task makes its samples from: 'demo' (the "
                            "built-in set; video tasks: the demo video), 'fashion-mnist', or a "
                            "folder of images"));
    auto* browse = new QPushButton(tr("Folder…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Images"));
        if (!dir.isEmpty()) {
            m_images->setCurrentText(dir);
        }
    });
    m_atCheckpoints = new QCheckBox(tr("At checkpoints"));
    m_atCheckpoints->setChecked(
        QSettings().value(QStringLiteral("saliency/atCheckpoints"), false).toBool());
    m_atCheckpoints->setToolTip(tr("While a run trains, show its saliency again at each "
                                   "checkpoint it writes (every 250 steps)"));
    connect(m_atCheckpoints, &QCheckBox::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("saliency/atCheckpoints"), on); });
    m_show = new QPushButton(tr("Show"));
    m_show->setObjectName(QStringLiteral("saliencyButton"));
    m_show->setToolTip(tr("Gradient × input and occlusion maps of the run's latest checkpoint"));
    connect(m_show, &QPushButton::clicked, this, &SaliencyPanel::start);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->hide();
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_images, 1);
    controls->addWidget(browse);
    controls->addWidget(m_atCheckpoints);
    controls->addWidget(m_show);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("saliencyNote"));
    m_note->setWordWrap(true);
    m_view = new ImageGridView;
    m_view->setObjectName(QStringLiteral("saliencyView"));
    m_job = new RunJob(QStringLiteral("saliency"), this);
    m_view->setPlaceholder(tr("Choose a run in the Runs panel, or train one, then Show"));
    auto* noteRow = new QHBoxLayout;
    noteRow->addWidget(m_busy, 0, Qt::AlignTop);
    noteRow->addWidget(m_note, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(noteRow);
    layout->addWidget(m_view, 1);
    setRun({});
}

SaliencyPanel::~SaliencyPanel() = default; // m_job cancels and waits

void SaliencyPanel::setRun(const QString& runDir) {
    m_run = runDir;
    m_show->setEnabled(!m_run.isEmpty() && !m_job->busy());
    if (m_view->grid().isEmpty()) {
        m_note->setText(
            runDir.isEmpty()
                ? tr("Which pixels does the model's prediction rest on? Gradient × input (one "
                     "backward pass) and occlusion (the loss's rise when a square is hidden) "
                     "over what the model sees; per tile for jigsaw, per frame for temporal "
                     "order.")
                : tr("Run %1: press Show.").arg(QFileInfo(runDir).fileName()));
    }
}

bool SaliencyPanel::isBusy() const {
    return m_job->busy();
}

void SaliencyPanel::checkpointWritten(const QString& runDir) {
    if (!m_atCheckpoints->isChecked() || runDir.isEmpty()) {
        return;
    }
    setRun(runDir);
    if (!isVisible()) {
        m_stale = true; // no work for a view nobody looks at
        return;
    }
    m_job->request([this] { start(); });
}

void SaliencyPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_stale && m_atCheckpoints->isChecked()) {
        m_stale = false;
        m_job->request([this] { start(); });
    }
}

void SaliencyPanel::start() {
    if (m_run.isEmpty() || m_job->busy()) {
        return;
    }
    m_stale = false;
    pretext::SaliencyRequest q;
    q.runDir = m_run;
    q.images = m_images->currentText().trimmed();
    m_job->run<pretext::SaliencyResult>(
        [q](const pretext::CancelToken& cancel) {
            pretext::SaliencyRequest request = q;
            request.cancel = cancel;
            return pretext::saliencyRun(request);
        },
        [this](const pretext::SaliencyResult& result, const QString& error) {
            m_busy->hide();
            m_show->setEnabled(!m_run.isEmpty());
            if (!error.isEmpty()) {
                m_note->setText(tr("The saliency could not be computed: %1").arg(error));
                Q_EMIT finished(false, error);
                return;
            }
            m_view->setGrid(result.grid);
            m_note->setText(result.note);
            Q_EMIT finished(true, tr("Saliency of %1 at step %2 in %3 s")
                                      .arg(QFileInfo(result.run).fileName())
                                      .arg(result.step)
                                      .arg(result.seconds, 0, 'f', 1));
        });
    m_busy->show();
    m_show->setEnabled(false);
    m_note->setText(
        tr("Computing the saliency of %1's latest checkpoint…").arg(QFileInfo(m_run).fileName()));
}
