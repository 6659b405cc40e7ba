#include "DisplayControls.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>

namespace {
constexpr int kSteps = 1000; // slider positions between a parameter's bounds
}

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
        slider->setToolTip(QString::fromStdString(spec.help));
        auto* value = new QLabel(row);
        value->setMinimumWidth(QFontMetrics(value->font()).horizontalAdvance(QStringLiteral("0.000")));
        auto* hbox = new QHBoxLayout(row);
        hbox->setContentsMargins(0, 0, 0, 0);
        hbox->addWidget(slider, 1);
        hbox->addWidget(value);
        m_layout->addRow(QString::fromStdString(spec.label), row);
        m_controls.push_back({spec, slider, value, row});
        const Control& c = m_controls.back();
        const double span = spec.maxValue - spec.minValue;
        slider->setValue(static_cast<int>(std::lround((spec.defaultValue - spec.minValue) / span * kSteps)));
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
        bool visible = true;
        if (!c.spec.onlyWhen.empty()) {
            const QString key = QString::fromStdString(c.spec.onlyWhen);
            // Hidden until the controlling parameter is known.
            visible = taskParams.contains(key) &&
                      taskParams.value(key).toDouble() == c.spec.onlyWhenValue;
        }
        m_layout->setRowVisible(c.row, visible);
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
            const double span = c.spec.maxValue - c.spec.minValue;
            c.slider->setValue(static_cast<int>(std::lround((value - c.spec.minValue) / span * kSteps)));
            return true;
        }
    }
    return false;
}
