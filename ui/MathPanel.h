#pragma once
// The seed's math for the current task (objective, loss, gradient), typeset as rich
// text, with the live numbers of the latest inspected batch filled in: |M| and a few
// (x̂ − x) with their gradients for inpainting, p(true permutation) and −log p for the
// classification tasks, H·W·C for colorization. Updates with training and step mode.
#include "InspectTypes.h"

#include <QWidget>

class QTextBrowser;

class MathPanel : public QWidget {
    Q_OBJECT
public:
    explicit MathPanel(QWidget* parent = nullptr);
    // The task in the task panel (registry name, title, its loss as implemented).
    void setTask(const QString& name, const QString& title, const QString& lossFormula);
    void showInspection(const pretext::InspectionView& inspection);
    // The text as shown (for tests and handouts).
    QString html() const { return m_html; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void render();

    QTextBrowser* m_text = nullptr;
    QString m_task;
    QString m_title;
    QString m_lossFormula;
    pretext::InspectionView m_inspection;
    QString m_html;
};

// The rich text itself: formulas for `task` and, when `in` is not empty, its numbers.
QString mathHtml(const QString& task, const QString& title, const QString& lossFormula,
                 const pretext::InspectionView& in);
