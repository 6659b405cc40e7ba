#pragma once
// Pretext task choice and its options, built from the task's declared parameters,
// plus the seed that drives the preview and training. Display parameters (a decoding
// temperature) are left to the live view's controls.
#include "Params.h"

#include <QVariantMap>
#include <QWidget>
#include <vector>

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;

class TaskPanel : public QWidget {
    Q_OBJECT
public:
    explicit TaskPanel(QWidget* parent = nullptr);
    QString taskName() const;
    bool selectTask(const QString& name);
    QVariantMap params() const;
    quint64 seed() const;
    double recommendedLearningRate() const;
    const pretext::TaskInfo& currentInfo() const;
    void setSeed(quint64 seed);
    // Sets one parameter of the current task's form; false when it has none of that name.
    bool setParam(const QString& name, double value);
    // Every parameter of the current task back to its default.
    void resetParams();
    // Shows `id` as the chosen preset (without choosing it again); empty: none.
    void showPreset(const QString& id);

Q_SIGNALS:
    void changed();
    void taskChanged();
    // The user picked a built-in preset of the current task (Presets.h).
    void presetChosen(const QString& id);

private:
    void buildForm();
    void updateVisibility();
    void fillPresets();

    std::vector<pretext::TaskInfo> m_tasks;
    QComboBox* m_taskCombo = nullptr;
    QComboBox* m_presetCombo = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_formula = nullptr;
    QSpinBox* m_seed = nullptr;
    struct Field {
        pretext::ParamSpec spec;
        QWidget* editor;
    };
    std::vector<Field> m_fields;
};
