#include "ViewSwitcher.h"

#include "FlowLayout.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

ViewSwitcher::ViewSwitcher(QWidget* parent) : QWidget(parent) {
    m_bar = new QWidget(this);
    m_bar->setObjectName(QStringLiteral("viewBar"));
    new FlowLayout(m_bar, 4);
    // The view shown stands out as a tab would; the palette keeps it right in dark mode.
    m_bar->setStyleSheet(QStringLiteral(
        "QToolButton { padding: 2px 8px; border: 1px solid palette(mid); border-radius: 3px; "
        "background: palette(button); }"
        "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text); "
        "border-color: palette(highlight); }"
        "QToolButton:hover:!checked { background: palette(light); }"));
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    m_bar->setSizePolicy(policy);
    m_stack = new QStackedWidget(this);
    m_buttons = new QButtonGroup(this);
    m_buttons->setExclusive(true);
    connect(m_buttons, &QButtonGroup::idClicked, this, &ViewSwitcher::setCurrentIndex);
    connect(m_stack, &QStackedWidget::currentChanged, this, [this](int index) {
        if (QAbstractButton* b = m_buttons->button(index)) {
            b->setChecked(true);
        }
        Q_EMIT currentChanged(index);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_bar);
    layout->addWidget(m_stack, 1);
}

int ViewSwitcher::addView(QWidget* view, const QString& label, const QString& group,
                          const QString& toolTip) {
    auto* button = new QToolButton(m_bar);
    button->setText(label);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    if (!m_viewGroups.contains(group)) {
        // A group's caption travels with its first button, so that a row never ends on a
        // caption; the group's other buttons wrap one by one.
        auto* head = new QWidget(m_bar);
        head->setObjectName(QStringLiteral("viewGroup"));
        auto* row = new QHBoxLayout(head);
        row->setContentsMargins(m_viewGroups.isEmpty() ? 0 : 10, 0, 0, 0);
        row->setSpacing(6);
        auto* caption = new QLabel(group, head);
        caption->setObjectName(QStringLiteral("viewGroupCaption"));
        caption->setStyleSheet(QStringLiteral("color: palette(mid); font-weight: bold;"));
        row->addWidget(caption);
        button->setParent(head);
        row->addWidget(button);
        m_bar->layout()->addWidget(head);
    } else {
        m_bar->layout()->addWidget(button);
    }
    const int index = m_stack->addWidget(view);
    m_buttons->addButton(button, index);
    m_viewGroups << group;
    if (index == m_stack->currentIndex()) {
        button->setChecked(true);
    }
    return index;
}

int ViewSwitcher::count() const {
    return m_stack->count();
}

int ViewSwitcher::currentIndex() const {
    return m_stack->currentIndex();
}

QWidget* ViewSwitcher::currentWidget() const {
    return m_stack->currentWidget();
}

QWidget* ViewSwitcher::widget(int index) const {
    return m_stack->widget(index);
}

int ViewSwitcher::indexOf(const QWidget* view) const {
    return m_stack->indexOf(view);
}

QString ViewSwitcher::viewLabel(int index) const {
    const QAbstractButton* b = m_buttons->button(index);
    return b ? b->text() : QString();
}

QString ViewSwitcher::groupOf(int index) const {
    return index >= 0 && index < m_viewGroups.size() ? m_viewGroups[index] : QString();
}

QAbstractButton* ViewSwitcher::button(int index) const {
    return m_buttons->button(index);
}

void ViewSwitcher::setCurrentIndex(int index) {
    if (index >= 0 && index < m_stack->count()) {
        m_stack->setCurrentIndex(index);
    }
}

void ViewSwitcher::setCurrentWidget(QWidget* view) {
    setCurrentIndex(m_stack->indexOf(view));
}
