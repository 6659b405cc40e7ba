#include "DisplayControls.h"

#include "TaskCatalog.h"
#include "TaskText.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>

#include <algorithm>
#include <cmath>

namespace {
constexpr int kSteps = 1000; // slider positions between a parameter's bounds

int sliderPosition(const pretext::ParamSpec& spec, double value) {
    const double t = (value - spec.minValue) / (spec.maxValue - spec.minValue);
    return static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * kSteps));
}
} // namespace

DisplayControls::DisplayControls(QWidget* parent) : QWidget(parent) {
    m_layout = new QFormLayout(this);
    m_layout->setContentsMargins(2, 2, 2, 2);
    hide();
}

void DisplayControls::setTask(const pretext::TaskInfo& info) {
    while (m_layout->rowCount() > 0) {
        m_layout->removeRow(0);
    }
    m_controls.clear();
    for (const auto& spec : info.params) {
        if (!spec.display) {
            continue;
        }
        auto* row = new QWidget(this);
        auto* slider = new QSlider(Qt::Horizontal, row);
        slider->setObjectName(QStringLiteral("display_") + QString::fromStdString(spec.name));
        slider->setRange(0, kSteps);
        slider->setToolTip(pretext::taskText(spec.help));
        auto* value = new QLabel(row);
        value->setMinimumWidth(
            QFontMetrics(value->font()).horizontalAdvance(QStringLiteral("0.000")));
        auto* hbox = new QHBoxLayout(row);
        hbox->setContentsMargins(0, 0, 0, 0);
        hbox->addWidget(slider, 1);
        hbox->addWidget(value);
        m_layout->addRow(pretext::taskText(spec.label), row);
        m_controls.push_back({spec, slider, value, row});
        const Control& c = m_controls.back();
        slider->setValue(sliderPosition(spec, spec.defaultValue));
        value->setText(QString::number(valueOf(c), 'f', 2));
        connect(slider, &QSlider::valueChanged, this, [this, name = spec.name] {
            for (const auto& control : m_controls) {
                if (control.spec.name == name) {
                    const double v = valueOf(control);
                    control.value->setText(QString::number(v, 'f', 2));
                    Q_EMIT valueChanged(QString::fromStdString(name), v);
                }
            }
        });
    }
    updateVisibility({});
}

double DisplayControls::valueOf(const Control& c) const {
    const double t = static_cast<double>(c.slider->value()) / kSteps;
    const double v = c.spec.minValue + t * (c.spec.maxValue - c.spec.minValue);
    // Snap to the parameter's step so the label and the value agree.
    return c.spec.step > 0 ? std::round(v / c.spec.step) * c.spec.step : v;
}

void DisplayControls::updateVisibility(const QVariantMap& taskParams) {
    for (const auto& c : m_controls) {
        m_layout->setRowVisible(c.row, pretext::paramApplies(c.spec, taskParams));
    }
    setVisible(hasVisibleControls());
}

bool DisplayControls::hasVisibleControls() const {
    for (const auto& c : m_controls) {
        if (m_layout->isRowVisible(c.row)) {
            return true;
        }
    }
    return false;
}

QVariantMap DisplayControls::values() const {
    QVariantMap out;
    for (const auto& c : m_controls) {
        out.insert(QString::fromStdString(c.spec.name), valueOf(c));
    }
    return out;
}

bool DisplayControls::setValue(const QString& name, double value) {
    for (const auto& c : m_controls) {
        if (QString::fromStdString(c.spec.name) == name) {
            c.slider->setValue(sliderPosition(c.spec, value));
            return true;
        }
    }
    return false;
}
