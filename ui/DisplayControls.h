#pragma once
// Sliders for a task's display parameters (ParamSpec::display), shown over the live
// held-out view: moving one re-decodes what the model last produced, at once, during
// or after a run (the colorization temperature T).
#include "Params.h"

#include <QVariantMap>
#include <QWidget>
#include <vector>

class QFormLayout;
class QLabel;
class QSlider;

class DisplayControls : public QWidget {
    Q_OBJECT
public:
    explicit DisplayControls(QWidget* parent = nullptr);
    void setTask(const pretext::TaskInfo& info);
    // The task's other parameters decide which controls apply (ParamSpec::onlyWhen).
    void updateVisibility(const QVariantMap& taskParams);
    QVariantMap values() const;
    // Moves a control; false when the task has no display parameter of that name.
    bool setValue(const QString& name, double value);
    bool hasVisibleControls() const;

Q_SIGNALS:
    void valueChanged(const QString& name, double value);

private:
    struct Control {
        pretext::ParamSpec spec;
        QSlider* slider;
        QLabel* value;
        QWidget* row;
    };
    double valueOf(const Control& c) const;
    std::vector<Control> m_controls;
    QFormLayout* m_layout = nullptr;
};
