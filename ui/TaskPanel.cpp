#include "TaskPanel.h"

#include "Presets.h"
#include "TaskCatalog.h"
#include "TaskText.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

using pretext::ParamSpec;

TaskPanel::TaskPanel(QWidget* parent) : QWidget(parent), m_tasks(pretext::availableTasks()) {
    m_taskCombo = new QComboBox(this);
    m_taskCombo->setObjectName(QStringLiteral("taskCombo"));
    for (const auto& t : m_tasks) {
        m_taskCombo->addItem(pretext::taskText(t.title), QString::fromStdString(t.name));
    }
    m_presetCombo = new QComboBox(this);
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    // Long titles must not widen the dock: the list shows them whole when open.
    m_presetCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_presetCombo->setMinimumContentsLength(14);
    m_presetCombo->setToolTip(
        tr("Settings that reproduce a paper's setup, or a classroom demonstration "
           "tuned to show learning within a minute on a laptop CPU"));
    connect(m_presetCombo, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        const QString id = m_presetCombo->itemData(index).toString();
        if (!id.isEmpty()) {
            Q_EMIT presetChosen(id);
        }
    });
    m_formula = new QLabel(this);
    m_formula->setWordWrap(true);
    m_formula->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_seed->setRange(0, 999999);
    m_seed->setValue(1);
    m_seed->setToolTip(tr("Drives the masks in the preview and every random choice of training"));
    auto* reseed = new QPushButton(tr("New seed"), this);
    connect(reseed, &QPushButton::clicked, this, [this] {
        m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1000000)));
    });
    connect(m_seed, qOverload<int>(&QSpinBox::valueChanged), this, &TaskPanel::changed);
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(reseed);

    m_form = new QFormLayout;
    auto* top = new QFormLayout;
    top->addRow(tr("Task"), m_taskCombo);
    top->addRow(tr("Preset"), m_presetCombo);
    top->addRow(tr("Seed"), seedRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_formula);
    layout->addLayout(m_form);
    layout->addStretch(1);

    connect(m_taskCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        buildForm();
        fillPresets();
        Q_EMIT taskChanged();
        Q_EMIT changed();
    });
    buildForm();
    fillPresets();
}

void TaskPanel::fillPresets() {
    m_presetCombo->clear();
    m_presetCombo->addItem(tr("(choose a preset)"), QString());
    for (const pretext::Preset& p : pretext::presetsFor(taskName())) {
        m_presetCombo->addItem(p.classroom ? tr("★ %1").arg(pretext::presetText(p.title))
                                           : pretext::presetText(p.title),
                               p.id);
        m_presetCombo->setItemData(m_presetCombo->count() - 1, pretext::presetText(p.description),
                                   Qt::ToolTipRole);
    }
}

void TaskPanel::showPreset(const QString& id) {
    const QSignalBlocker block(m_presetCombo);
    m_presetCombo->setCurrentIndex(std::max(0, m_presetCombo->findData(id)));
}

void TaskPanel::resetParams() {
    for (const auto& f : m_fields) {
        setParam(QString::fromStdString(f.spec.name), f.spec.defaultValue);
    }
}

void TaskPanel::buildForm() {
    while (m_form->rowCount() > 0) {
        m_form->removeRow(0);
    }
    m_fields.clear();
    const int index = std::max(0, m_taskCombo->currentIndex());
    if (index >= static_cast<int>(m_tasks.size())) {
        return;
    }
    const auto& info = m_tasks[index];
    m_formula->setText(
        tr("<small>Loss: %1</small>").arg(pretext::taskText(info.lossFormula).toHtmlEscaped()));
    for (const ParamSpec& spec : info.params) {
        if (spec.display) {
            continue;
        }
        QWidget* editor = nullptr;
        if (spec.kind == ParamSpec::Kind::Choice) {
            auto* combo = new QComboBox(this);
            for (const auto& c : spec.choices) {
                combo->addItem(pretext::taskText(c));
            }
            combo->setCurrentIndex(static_cast<int>(spec.defaultValue));
            connect(combo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
                updateVisibility();
                Q_EMIT changed();
            });
            editor = combo;
        } else if (spec.kind == ParamSpec::Kind::Int) {
            auto* spin = new QSpinBox(this);
            spin->setRange(static_cast<int>(spec.minValue), static_cast<int>(spec.maxValue));
            spin->setSingleStep(std::max(1, static_cast<int>(spec.step)));
            spin->setValue(static_cast<int>(spec.defaultValue));
            spin->setKeyboardTracking(false); // typing "1000" is one change, not four
            connect(spin, qOverload<int>(&QSpinBox::valueChanged), this, &TaskPanel::changed);
            editor = spin;
        } else {
            auto* spin = new QDoubleSpinBox(this);
            spin->setRange(spec.minValue, spec.maxValue);
            spin->setSingleStep(spec.step);
            spin->setDecimals(spec.step < 0.01 ? 3 : 2);
            spin->setValue(spec.defaultValue);
            spin->setKeyboardTracking(false);
            connect(spin, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                    &TaskPanel::changed);
            editor = spin;
        }
        editor->setObjectName(QStringLiteral("param_") + QString::fromStdString(spec.name));
        editor->setToolTip(pretext::taskText(spec.help));
        m_form->addRow(pretext::taskText(spec.label), editor);
        m_fields.push_back({spec, editor});
    }
    updateVisibility();
}

void TaskPanel::updateVisibility() {
    const QVariantMap values = params();
    for (const auto& f : m_fields) {
        m_form->setRowVisible(f.editor, pretext::paramApplies(f.spec, values));
    }
}

bool TaskPanel::selectTask(const QString& name) {
    const int index = m_taskCombo->findData(name);
    if (index >= 0) {
        m_taskCombo->setCurrentIndex(index);
    }
    return index >= 0;
}

QString TaskPanel::taskName() const {
    return m_taskCombo->currentData().toString();
}

QVariantMap TaskPanel::params() const {
    QVariantMap values;
    for (const auto& f : m_fields) {
        double v = 0.0;
        if (auto* combo = qobject_cast<QComboBox*>(f.editor)) {
            v = combo->currentIndex();
        } else if (auto* spin = qobject_cast<QSpinBox*>(f.editor)) {
            v = spin->value();
        } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(f.editor)) {
            v = dspin->value();
        }
        values.insert(QString::fromStdString(f.spec.name), v);
    }
    return values;
}

double TaskPanel::recommendedLearningRate() const {
    const int index = m_taskCombo->currentIndex();
    return index >= 0 && index < static_cast<int>(m_tasks.size()) ? m_tasks[index].learningRate
                                                                  : 2e-3;
}

const pretext::TaskInfo& TaskPanel::currentInfo() const {
    const int index =
        std::clamp(m_taskCombo->currentIndex(), 0, static_cast<int>(m_tasks.size()) - 1);
    return m_tasks[index];
}

quint64 TaskPanel::seed() const {
    return static_cast<quint64>(m_seed->value());
}

void TaskPanel::setSeed(quint64 seed) {
    m_seed->setValue(static_cast<int>(seed));
}

bool TaskPanel::setParam(const QString& name, double value) {
    for (const auto& f : m_fields) {
        if (QString::fromStdString(f.spec.name) != name) {
            continue;
        }
        if (auto* combo = qobject_cast<QComboBox*>(f.editor)) {
            combo->setCurrentIndex(static_cast<int>(value));
        } else if (auto* spin = qobject_cast<QSpinBox*>(f.editor)) {
            spin->setValue(static_cast<int>(std::lround(value)));
        } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(f.editor)) {
            dspin->setValue(value);
        }
        return true;
    }
    return false;
}
