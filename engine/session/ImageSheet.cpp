#include "ImageSheet.h"

#include <QPainter>

namespace pretext {

QImage renderSheet(const ImageGrid& grid, const QString& title, int scale) {
    if (grid.isEmpty()) {
        return {};
    }
    const QSize cell = grid.rows.front().front().size() * scale;
    const int gap = 6, header = 44, margin = 10;
    const int cols = static_cast<int>(grid.columnTitles.size());
    const int rows = static_cast<int>(grid.rows.size());
    const int width = 2 * margin + cols * cell.width() + (cols - 1) * gap;
    const int height = header + margin + rows * cell.height() + (rows - 1) * gap;
    QImage sheet(std::max(width, 320), height, QImage::Format_RGB888);
    sheet.fill(QColor(32, 34, 38));
    QPainter painter(&sheet);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.setPen(QColor(230, 230, 230));
    QFont font = painter.font();
    font.setPixelSize(13);
    painter.setFont(font);
    painter.drawText(QRect(margin, 2, sheet.width() - 2 * margin, 20), Qt::AlignLeft, title);
    for (int c = 0; c < cols; ++c) {
        const int x = margin + c * (cell.width() + gap);
        painter.drawText(QRect(x, 22, cell.width(), 20), Qt::AlignCenter, grid.columnTitles[c]);
        for (int r = 0; r < rows && c < grid.rows[r].size(); ++r) {
            const int y = header + r * (cell.height() + gap);
            painter.drawImage(QRect(QPoint(x, y), cell), grid.rows[r][c]);
        }
    }
    return sheet;
}

} // namespace pretext
