#pragma once
// Paints an ImageGrid (titled image columns, one row per sample) scaled to fit,
// pixel-sharp. Samples run across (titles down the left) or down (titles on top),
// whichever shows the images larger in the space the widget has.
#include "SessionTypes.h"

#include <QWidget>

class ImageGridView : public QWidget {
    Q_OBJECT
public:
    explicit ImageGridView(QWidget* parent = nullptr);
    void setGrid(const pretext::ImageGrid& grid);
    const pretext::ImageGrid& grid() const { return m_grid; }
    void setPlaceholder(const QString& text);
    QSize sizeHint() const override { return {520, 260}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    pretext::ImageGrid m_grid;
    static constexpr int kLabelWidth = 96;
    static constexpr int kHeaderHeight = 32;
    QString m_placeholder;
};
