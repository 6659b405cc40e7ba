#pragma once
// Pretext task choice and its options, built from the task's declared parameters,
// plus the seed that drives the preview and training.
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
    void setSeed(quint64 seed);

Q_SIGNALS:
    void changed();
    void taskChanged();

private:
    void buildForm();
    void updateVisibility();

    std::vector<pretext::TaskInfo> m_tasks;
    QComboBox* m_taskCombo = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_formula = nullptr;
    QSpinBox* m_seed = nullptr;
    struct Field {
        pretext::ParamSpec spec;
        QWidget* editor;
    };
    std::vector<Field> m_fields;
};
