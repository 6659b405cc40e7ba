#pragma once
// The views beside the held-out samples (curves, comparison, probe, the teaching and
// debugging views), grouped by what a person wants to see — Training, Inspect,
// Evaluate — each a button one click away. The groups wrap onto a second row when the
// area is narrow (a 1366-pixel projector) instead of hiding views behind scroll arrows,
// and the keyboard reaches each view through the View menu's shortcuts.
#include <QWidget>

class QAbstractButton;
class QButtonGroup;
class QLabel;
class QStackedWidget;

class ViewSwitcher : public QWidget {
    Q_OBJECT
public:
    explicit ViewSwitcher(QWidget* parent = nullptr);
    // Adds a view under `group` (a group is made when first named); returns its index.
    int addView(QWidget* view, const QString& label, const QString& group,
                const QString& toolTip = {});
    int count() const;
    int currentIndex() const;
    QWidget* currentWidget() const;
    QWidget* widget(int index) const;
    int indexOf(const QWidget* view) const;
    QString viewLabel(int index) const;
    QString groupOf(int index) const;
    // The button that shows view `index` (for tests and the translation check).
    QAbstractButton* button(int index) const;

public Q_SLOTS:
    void setCurrentIndex(int index);
    void setCurrentWidget(QWidget* view);

Q_SIGNALS:
    void currentChanged(int index);

private:
    QWidget* m_bar = nullptr;
    QStackedWidget* m_stack = nullptr;
    QButtonGroup* m_buttons = nullptr;
    QStringList m_viewGroups; // the group of each view, in order
};
