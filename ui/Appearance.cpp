#include "Appearance.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <qcustomplot.h>

QPalette darkPalette() {
    QPalette p;
    const QColor window(45, 47, 50), base(30, 31, 34), text(225, 227, 230), disabled(125, 127, 130);
    const QColor highlight(64, 128, 200);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(60, 62, 66));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(55, 57, 61));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 110, 100));
    p.setColor(QPalette::Light, QColor(75, 77, 81));
    p.setColor(QPalette::Midlight, QColor(62, 64, 68));
    p.setColor(QPalette::Mid, QColor(80, 82, 86));
    p.setColor(QPalette::Dark, QColor(25, 26, 28));
    p.setColor(QPalette::Shadow, QColor(10, 10, 10));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(110, 170, 240));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, disabled);
    }
    return p;
}

void applyTheme(Theme theme) {
    if (theme == Theme::Dark) {
        // Fusion draws everything from the palette (a platform style may not).
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
}

Theme themeFromName(const QString& name) {
    return name == QLatin1String("dark") ? Theme::Dark : Theme::System;
}

QString themeName(Theme theme) {
    return theme == Theme::Dark ? QStringLiteral("dark") : QStringLiteral("system");
}

void stylePlot(QCustomPlot* plot, const QPalette& palette) {
    const QColor fg = palette.color(QPalette::WindowText);
    const QColor bg = palette.color(QPalette::Base);
    QColor grid = palette.color(QPalette::Mid);
    plot->setBackground(bg);
    for (QCPAxisRect* rect : plot->axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(fg));
            axis->setTickPen(QPen(fg));
            axis->setSubTickPen(QPen(fg));
            axis->setTickLabelColor(fg);
            axis->setLabelColor(fg);
            axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(grid));
        }
    }
    QColor legend = bg;
    legend.setAlpha(200);
    plot->legend->setBrush(legend);
    plot->legend->setTextColor(fg);
    plot->legend->setBorderPen(QPen(fg));
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
        if (auto* text = qobject_cast<QCPTextElement*>(element)) {
            text->setTextColor(fg);
        }
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}
