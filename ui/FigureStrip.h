#pragma once
// Set-level figures of a preview (the data's ab histogram, rebalancing weights) in a
// row, each scaled to the height available with its title above and caption below.
#include "SessionTypes.h"

#include <QWidget>

class FigureStrip : public QWidget {
    Q_OBJECT
public:
    explicit FigureStrip(QWidget* parent = nullptr);
    void setFigures(const QList<pretext::GridFigure>& figures);
    const QList<pretext::GridFigure>& figures() const { return m_figures; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {120, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QList<pretext::GridFigure> m_figures;
};
