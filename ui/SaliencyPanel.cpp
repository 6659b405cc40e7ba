#include "SaliencyPanel.h"

#include "ImageGridView.h"
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
#include <QThread>
#include <QVBoxLayout>

#include <memory>

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

SaliencyPanel::~SaliencyPanel() {
    if (m_thread != nullptr) {
        m_cancel.cancel();
        m_thread->wait();
        delete m_thread;
    }
}

void SaliencyPanel::setRun(const QString& runDir) {
    m_run = runDir;
    m_show->setEnabled(!m_run.isEmpty() && m_thread == nullptr);
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

void SaliencyPanel::checkpointWritten(const QString& runDir) {
    if (!m_atCheckpoints->isChecked() || runDir.isEmpty()) {
        return;
    }
    setRun(runDir);
    if (m_thread != nullptr) {
        m_pending = true;
        return;
    }
    start();
}

void SaliencyPanel::start() {
    if (m_run.isEmpty() || m_thread != nullptr) {
        return;
    }
    m_pending = false;
    pretext::SaliencyRequest q;
    q.runDir = m_run;
    q.images = m_images->currentText().trimmed();
    m_cancel = pretext::CancelToken();
    q.cancel = m_cancel;
    auto outcome = std::make_shared<std::pair<pretext::SaliencyResult, QString>>();
    m_thread = QThread::create([q, outcome] {
        try {
            outcome->first = pretext::saliencyRun(q);
        } catch (const std::exception& e) {
            outcome->second = QString::fromUtf8(e.what());
        }
    });
    m_thread->setObjectName(QStringLiteral("saliency"));
    connect(m_thread, &QThread::finished, this, [this, outcome] {
        m_thread->deleteLater();
        m_thread = nullptr;
        m_busy->hide();
        m_show->setEnabled(!m_run.isEmpty());
        if (!outcome->second.isEmpty()) {
            m_note->setText(tr("The saliency could not be computed: %1").arg(outcome->second));
            Q_EMIT finished(false, outcome->second);
        } else {
            m_view->setGrid(outcome->first.grid);
            m_note->setText(outcome->first.note);
            Q_EMIT finished(true, tr("Saliency of %1 at step %2 in %3 s")
                                      .arg(QFileInfo(outcome->first.run).fileName())
                                      .arg(outcome->first.step)
                                      .arg(outcome->first.seconds, 0, 'f', 1));
        }
        if (m_pending) {
            start();
        }
    });
    m_busy->show();
    m_show->setEnabled(false);
    m_note->setText(
        tr("Computing the saliency of %1's latest checkpoint…").arg(QFileInfo(m_run).fileName()));
    m_thread->start(QThread::LowPriority);
}
