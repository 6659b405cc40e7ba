#include "TrainingPanel.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

using pretext::EngineState;

namespace {
// A combo whose last item asks for a path ("A labelled folder…"): selects `path`, listed
// by its name before that item (the whole path in the tooltip) if it is not there yet.
void selectPath(QComboBox* combo, const QString& path) {
    int index = combo->findData(path);
    if (index < 0) {
        index = combo->count() - 1;
        combo->insertItem(index, QFileInfo(path).fileName(), path);
        combo->setItemData(index, QDir::toNativeSeparators(path), Qt::ToolTipRole);
    }
    combo->setCurrentIndex(index);
}
} // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
    m_lr = new QDoubleSpinBox(this);
    m_lr->setObjectName(QStringLiteral("lrSpin"));
    m_lr->setDecimals(5);
    m_lr->setRange(0.00001, 1.0);
    m_lr->setSingleStep(0.0005);
    m_lr->setValue(0.002);
    m_lr->setToolTip(
        tr("Adam learning rate; each task sets its own default, and a change applies to the "
           "running run at once (Context Encoders: Adam at 0.0002; Zhang et al.: Adam at "
           "0.00003; the jigsaw and rotation papers: SGD with momentum)"));
    connect(m_lr, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &TrainingPanel::learningRateChanged);

    m_batch = new QSpinBox(this);
    m_batch->setObjectName(QStringLiteral("batchSpin"));
    m_batch->setRange(1, 1024);
    m_batch->setValue(32);
    m_batch->setToolTip(
        tr("Images (temporal order: frame tuples) per step; the papers trained with 64 to "
           "256 on GPUs, 32 keeps a step short on a CPU"));

    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_device->addItem(tr("Automatic (CUDA if available)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA"), QStringLiteral("cuda"));
    m_device->setToolTip(
        tr("Where the model trains: a CUDA GPU when there is one and LibTorch was built "
           "with CUDA, else the CPU; the status bar names the device in use"));

    m_maxSteps = new QSpinBox(this);
    m_maxSteps->setObjectName(QStringLiteral("maxStepsSpin"));
    m_maxSteps->setRange(0, 10'000'000);
    m_maxSteps->setSingleStep(100);
    m_maxSteps->setValue(0);
    m_maxSteps->setSpecialValueText(tr("until stopped"));
    m_maxSteps->setToolTip(tr("The step at which the run stops by itself (saving its checkpoint); "
                              "'until stopped' trains until Stop"));

    auto* form = new QFormLayout;
    form->addRow(tr("Learning rate"), m_lr);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Device"), m_device);
    m_convRoute = new QComboBox(this);
    m_convRoute->setObjectName(QStringLiteral("convRouteCombo"));
    m_convRoute->addItem(tr("Fastest, measured per layer"), QStringLiteral("auto"));
    m_convRoute->addItem(tr("LibTorch's own"), QStringLiteral("libtorch"));
    m_convRoute->addItem(tr("The program's CPU routes"), QStringLiteral("fast"));
    m_convRoute->setToolTip(
        tr("How the convolutions run on the CPU: each layer timed at the start of the run by "
           "LibTorch's kernels and by the program's own (Winograd, small maps as one product), "
           "keeping the faster; or one side for every layer. The status bar and the run's "
           "config.json say which layer took which"));
    form->addRow(tr("Convolutions"), m_convRoute);
    m_augment = new QComboBox(this);
    m_augment->setObjectName(QStringLiteral("augmentCombo"));
    m_augment->addItem(tr("Auto (crop and flip for files)"), QStringLiteral("auto"));
    m_augment->addItem(tr("Off"), QStringLiteral("off"));
    m_augment->addItem(tr("Random crop and flip"), QStringLiteral("crop-flip"));
    m_augment->addItem(tr("Crop, flip and colour jitter"), QStringLiteral("crop-flip-jitter"));
    m_augment->setToolTip(
        tr("What each training sample goes through before the task sees it: a random resized "
           "crop (35–100% of the image's area, aspect 3:4 to 4:3), a horizontal flip, and "
           "optionally colour jitter (never for colorization, whose target is the colour). A "
           "small set of real photos is memorised without it. Auto: crop and flip for images "
           "and videos loaded from files, none for the built-in and IDX sets. Held-out "
           "samples are never augmented"));
    form->addRow(tr("Augmentation"), m_augment);
    connect(m_augment, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &TrainingPanel::augmentChanged);
    m_monitor = new QComboBox(this);
    m_monitor->setObjectName(QStringLiteral("monitorCombo"));
    m_monitor->addItem(tr("Off"), QString());
    m_monitor->addItem(tr("Fashion-MNIST"), QStringLiteral("fashion-mnist"));
    m_monitor->addItem(tr("A labelled folder…"), QStringLiteral("?"));
    m_monitor->setToolTip(
        tr("Judge the encoder while it learns: every few steps (a twentieth of the training time) "
           "2000 labelled images are embedded by the current encoder and 500 others classified "
           "by their 20 nearest neighbours (cosine similarity, weighted votes). The curve "
           "appears beside the loss, with the random-init encoder's accuracy as a reference. "
           "A labelled folder has one subfolder per class, or MNIST-layout IDX files"));
    connect(m_monitor, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        if (m_monitor->itemData(index).toString() != QLatin1String("?")) {
            return;
        }
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Labelled images: one subfolder per class, or IDX files"));
        if (dir.isEmpty()) {
            m_monitor->setCurrentIndex(0);
            return;
        }
        selectPath(m_monitor, dir);
    });
    form->addRow(tr("k-NN monitor"), m_monitor);

    m_precision = new QComboBox(this);
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precision->addItem(tr("float32"), QStringLiteral("fp32"));
    m_precision->addItem(tr("Mixed, automatic"), QStringLiteral("amp"));
    m_precision->addItem(tr("Mixed, bfloat16"), QStringLiteral("bf16"));
    m_precision->addItem(tr("Mixed, float16 (CUDA)"), QStringLiteral("fp16"));
    m_precision->setToolTip(
        tr("The forward pass's arithmetic. Mixed precision runs the convolutions and matrix "
           "products under autocast in a 16-bit type while the weights and the optimizer stay "
           "float32: bfloat16 keeps float32's range; float16 (CUDA only) is faster on older "
           "GPUs and needs dynamic loss scaling (an update with overflowed gradients is skipped "
           "and the scale halved; the loss_scale curve shows it). Automatic takes bfloat16 on "
           "the CPU and on GPUs that compute it (compute capability 8.0 and later), float16 "
           "elsewhere"));
    form->addRow(tr("Precision"), m_precision);

    m_accumulate = new QSpinBox(this);
    m_accumulate->setObjectName(QStringLiteral("accumulateSpin"));
    m_accumulate->setRange(1, 4096);
    m_accumulate->setValue(1);
    m_accumulate->setSpecialValueText(tr("every batch"));
    m_accumulate->setPrefix(tr("every "));
    m_accumulate->setSuffix(tr(" batches"));
    m_accumulate->setToolTip(
        tr("Gradient accumulation: the gradients of this many batches are summed before one "
           "update, an effective batch of this times the batch size with one batch's memory "
           "(the run's config.json records it as global_batch). A step is one update"));
    form->addRow(tr("Update"), m_accumulate);

    m_init = new QComboBox(this);
    m_init->setObjectName(QStringLiteral("initCombo"));
    m_init->addItem(tr("Random initialisation"), QString());
    m_init->addItem(tr("A state dict file…"), QStringLiteral("?"));
    m_init->setToolTip(
        tr("Where the encoder's weights start: random, or a state dict saved by torch.save "
           "(a torchvision ResNet's, or an encoder exported by this program with Export "
           "encoder). Its architecture must be the task panel's backbone; only tensors are "
           "read from the file"));
    connect(m_init, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        if (m_init->itemData(index).toString() != QLatin1String("?")) {
            return;
        }
        const QString file = QFileDialog::getOpenFileName(
            this, tr("The encoder's starting weights"), QString(),
            tr("PyTorch state dicts (*.pt *.pth *.bin);;All files (*)"));
        if (file.isEmpty()) {
            m_init->setCurrentIndex(0);
            return;
        }
        addInitFile(file);
    });
    form->addRow(tr("Start from"), m_init);
    form->addRow(tr("Stop after"), m_maxSteps);

    auto makeButton = [this](const QString& text, QStyle::StandardPixmap icon, const char* name) {
        auto* b = new QPushButton(style()->standardIcon(icon), text, this);
        b->setObjectName(QString::fromLatin1(name));
        return b;
    };
    m_start = makeButton(tr("Train"), QStyle::SP_MediaPlay, "startButton");
    m_pause = makeButton(tr("Pause"), QStyle::SP_MediaPause, "pauseButton");
    m_step = makeButton(tr("Step"), QStyle::SP_MediaSeekForward, "stepButton");
    m_stop = makeButton(tr("Stop"), QStyle::SP_MediaStop, "stopButton");
    m_start->setToolTip(tr("Start a new run (Ctrl+R)"));
    m_step->setToolTip(tr("One optimizer step while paused"));
    connect(m_start, &QPushButton::clicked, this, &TrainingPanel::startRequested);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_state == EngineState::Paused) {
            Q_EMIT resumeRequested();
        } else {
            Q_EMIT pauseRequested();
        }
    });
    connect(m_step, &QPushButton::clicked, this, &TrainingPanel::stepRequested);
    connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stopRequested);
    auto* buttons = new QGridLayout;
    buttons->addWidget(m_start, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_step, 1, 0);
    buttons->addWidget(m_stop, 1, 1);

    m_status = new QLabel(tr("Not started"), this);
    m_status->setObjectName(QStringLiteral("trainStatus"));
    m_status->setTextFormat(Qt::RichText);
    m_runDir = new QLabel(this);
    m_runDir->setWordWrap(true);
    m_runDir->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_runDir);
    layout->addStretch(1);
    setState(EngineState::Idle, false);
}

void TrainingPanel::setLearningRate(double lr) {
    m_lr->setValue(lr);
}

void TrainingPanel::fillSettings(pretext::TrainSettings& s) const {
    s.learningRate = m_lr->value();
    s.batchSize = m_batch->value();
    s.device = m_device->currentData().toString();
    s.convRoute = m_convRoute->currentData().toString();
    s.augment = m_augment->currentData().toString();
    s.monitor = m_monitor->currentData().toString();
    s.precision = m_precision->currentData().toString();
    s.accumulate = m_accumulate->value();
    s.initEncoder = m_init->currentData().toString();
    s.maxSteps = m_maxSteps->value();
}

void TrainingPanel::addInitFile(const QString& file) {
    selectPath(m_init, file);
}

QString TrainingPanel::initEncoder() const {
    return m_init->currentData().toString();
}

void TrainingPanel::applySettings(const pretext::TrainSettings& s) {
    m_lr->setValue(s.learningRate);
    m_batch->setValue(s.batchSize);
    m_device->setCurrentIndex(std::max(0, m_device->findData(s.device)));
    m_convRoute->setCurrentIndex(std::max(0, m_convRoute->findData(s.convRoute)));
    m_augment->setCurrentIndex(std::max(0, m_augment->findData(s.augment)));
    selectPath(m_monitor, s.monitor); // "" (off) and fashion-mnist are listed already
    m_precision->setCurrentIndex(std::max(0, m_precision->findData(s.precision)));
    m_accumulate->setValue(s.accumulate);
    if (s.initEncoder.isEmpty()) {
        m_init->setCurrentIndex(0);
    } else {
        addInitFile(s.initEncoder);
    }
    m_maxSteps->setValue(static_cast<int>(s.maxSteps));
}

int TrainingPanel::maxSteps() const {
    return m_maxSteps->value();
}

void TrainingPanel::setState(EngineState state, bool hasData) {
    m_state = state;
    const bool active = state == EngineState::Running || state == EngineState::Paused;
    m_start->setEnabled(state == EngineState::Idle && hasData);
    m_pause->setEnabled(active);
    m_pause->setText(state == EngineState::Paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(style()->standardIcon(state == EngineState::Paused ? QStyle::SP_MediaPlay
                                                                        : QStyle::SP_MediaPause));
    m_step->setEnabled(state == EngineState::Paused);
    m_stop->setEnabled(active);
    m_batch->setEnabled(!active);
    m_device->setEnabled(!active);
    m_convRoute->setEnabled(!active);
    m_augment->setEnabled(!active);
    m_monitor->setEnabled(!active);
    m_precision->setEnabled(!active);
    m_accumulate->setEnabled(!active);
    m_init->setEnabled(!active);
    m_maxSteps->setEnabled(!active);
}

void TrainingPanel::showProgress(const pretext::TrainProgress& p) {
    m_status->setText(tr("step <b>%1</b> · loss <b>%2</b><br>%3 %4/s · %5 s")
                          .arg(p.step)
                          .arg(p.loss, 0, 'g', 4)
                          .arg(p.imagesPerSec, 0, 'f', 0)
                          .arg(m_sampleName)
                          .arg(p.wallTimeS, 0, 'f', 1));
}

void TrainingPanel::showRunStarted(const QString& runDir, const QString& device) {
    m_status->setText(tr("Training on %1…").arg(device));
    m_runDir->setText(
        tr("<small>Run folder: %1</small>").arg(QDir::toNativeSeparators(runDir).toHtmlEscaped()));
}

void TrainingPanel::showRunFinished(const QString& reason) {
    m_status->setText(m_status->text() + tr("<br><i>%1</i>").arg(reason));
}

void TrainingPanel::setMaxSteps(int steps) {
    m_maxSteps->setValue(steps);
}
