#include "ImageSheet.h"

#include <QFontMetrics>
#include <QPainter>

namespace pretext {

QImage renderSheet(const ImageGrid& grid, const QString& title, int scale) {
    if (grid.isEmpty()) {
        return {};
    }
    // One height for every cell; each column as wide as its images' aspect asks (a
    // strip of video frames is several cells wide).
    const int cellH = grid.rows.front().front().height() * scale;
    auto cellSize = [&](int c) {
        const QImage& image = grid.rows.front().value(c);
        const double aspect =
            image.isNull() ? 1.0 : static_cast<double>(image.width()) / image.height();
        return QSize(static_cast<int>(cellH * aspect), cellH);
    };
    const int gap = 6, header = 44, margin = 10;
    const int cols = static_cast<int>(grid.columnTitles.size());
    const int rows = static_cast<int>(grid.rows.size());
    QFont font;
    font.setPixelSize(13);
    const QFontMetrics metrics(font);
    // Columns are as wide as their images or their titles, whichever is wider.
    QList<int> colWidth;
    int width = 2 * margin + (cols - 1) * gap;
    for (int c = 0; c < cols; ++c) {
        colWidth << std::max(cellSize(c).width(),
                             metrics.horizontalAdvance(grid.columnTitles[c]) + 8);
        width += colWidth.back();
    }
    int height = header + margin + rows * cellH + (rows - 1) * gap;
    // Set-level figures in one row under the samples, each with a title and a caption.
    int figuresWidth = margin;
    int figureHeight = 0;
    for (const auto& f : grid.figures) {
        figuresWidth += std::max({f.image.width(), metrics.horizontalAdvance(f.title),
                                  metrics.horizontalAdvance(f.caption)}) +
                        3 * gap;
        figureHeight = std::max(figureHeight, f.image.height());
    }
    const int figuresTop = height + gap;
    if (!grid.figures.isEmpty()) {
        height += 2 * gap + figureHeight + 2 * 20;
        width = std::max(width, figuresWidth + margin);
    }
    QImage sheet(std::max(width, 320), height, QImage::Format_RGB888);
    sheet.fill(QColor(32, 34, 38));
    QPainter painter(&sheet);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.setPen(QColor(230, 230, 230));
    painter.setFont(font);
    painter.drawText(QRect(margin, 2, sheet.width() - 2 * margin, 20), Qt::AlignLeft, title);
    int x = margin;
    for (int c = 0; c < cols; ++c) {
        painter.drawText(QRect(x, 22, colWidth[c], 20), Qt::AlignCenter, grid.columnTitles[c]);
        const QSize cell = cellSize(c);
        const int imageX = x + (colWidth[c] - cell.width()) / 2;
        for (int r = 0; r < rows && c < grid.rows[r].size(); ++r) {
            const int y = header + r * (cellH + gap);
            painter.drawImage(QRect(QPoint(imageX, y), cell), grid.rows[r][c]);
        }
        x += colWidth[c] + gap;
    }
    x = margin;
    for (const auto& f : grid.figures) {
        const int w = std::max({f.image.width(), metrics.horizontalAdvance(f.title),
                                metrics.horizontalAdvance(f.caption)});
        painter.drawText(QRect(x, figuresTop, w, 20), Qt::AlignCenter, f.title);
        painter.drawImage(QPoint(x + (w - f.image.width()) / 2, figuresTop + 20), f.image);
        painter.drawText(QRect(x, figuresTop + 20 + figureHeight, w, 20), Qt::AlignCenter,
                         f.caption);
        x += w + 3 * gap;
    }
    return sheet;
}

} // namespace pretext
