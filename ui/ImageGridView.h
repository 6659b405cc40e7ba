#pragma once
// Paints an ImageGrid (titled image columns, one row per sample) scaled to fit,
// pixel-sharp. Transposed, the titles run down the left and samples go across.
#include "SessionTypes.h"

#include <QWidget>

class ImageGridView : public QWidget {
    Q_OBJECT
public:
    explicit ImageGridView(QWidget* parent = nullptr);
    void setGrid(const pretext::ImageGrid& grid);
    const pretext::ImageGrid& grid() const { return m_grid; }
    void setTransposed(bool transposed);
    void setPlaceholder(const QString& text);
    QSize sizeHint() const override { return {520, 260}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    pretext::ImageGrid m_grid;
    bool m_transposed = true;
    QString m_placeholder;
};
