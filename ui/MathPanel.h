#pragma once
// The seed's math for the current task (objective, loss, gradient), typeset as rich
// text, with the live numbers of the latest inspected batch filled in: |M| and a few
// (x̂ − x) with their gradients for inpainting, p(true permutation) and −log p for the
// classification tasks, H·W·C for colorization. Updates with training and step mode.
#include "InspectTypes.h"
#include "Params.h"

#include <QWidget>

class QTextBrowser;

class MathPanel : public QWidget {
    Q_OBJECT
public:
    explicit MathPanel(QWidget* parent = nullptr);
    // The task in the task panel: its title, its own words (TaskInfo::mathIntro), the
    // form of its loss before a batch says which, and its loss as implemented.
    void setTask(const pretext::TaskInfo& info);
    void showInspection(const pretext::InspectionView& inspection);
    // The text as shown (for tests and handouts).
    QString html() const { return m_html; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void render();

    QTextBrowser* m_text = nullptr;
    pretext::TaskInfo m_info;
    pretext::InspectionView m_inspection;
    QString m_html;
};

// The rich text itself: the task's formulas and, when `in` is the task's, its numbers.
QString mathHtml(const pretext::TaskInfo& info, const pretext::InspectionView& in);
