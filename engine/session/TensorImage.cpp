#include "TensorImage.h"

#include "TaskText.h"

#include <QPainter>
#include <torch/torch.h>

namespace pretext {

QImage toQImage(const torch::Tensor& chw) {
    auto t = chw.detach().to(torch::kCPU, torch::kFloat32);
    if (t.size(0) == 1) {
        t = t.expand({3, -1, -1});
    }
    auto hwc =
        t.clamp(0.0, 1.0).mul(255.0).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    const int h = static_cast<int>(hwc.size(0)), w = static_cast<int>(hwc.size(1));
    QImage image(w, h, QImage::Format_RGB888);
    const uint8_t* src = hwc.data_ptr<uint8_t>();
    for (int y = 0; y < h; ++y) {
        std::memcpy(image.scanLine(y), src + static_cast<size_t>(y) * w * 3,
                    static_cast<size_t>(w) * 3);
    }
    return image;
}

namespace {
constexpr int kOverlayScale = 3; // overlays are drawn on an enlarged copy to stay legible

// Draws a column's overlays for sample r: cell numbers, wrong cells, a caption.
QImage withOverlays(const QImage& image, const VisualColumn& column, int64_t r) {
    // Cells: gridN x gridN tiles, or a strip of stripCells frames side by side.
    const int nx = column.stripCells > 0 ? column.stripCells : column.gridN;
    const int ny = column.stripCells > 0 ? 1 : column.gridN;
    const bool cells = nx > 0 && (column.cellLabels.defined() || column.cellWrong.defined());
    const bool caption = r < static_cast<int64_t>(column.captions.size());
    if (!cells && !caption) {
        return image;
    }
    QImage big =
        image.scaled(image.size() * kOverlayScale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    QPainter p(&big);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    if (cells) {
        const double cellW = static_cast<double>(big.width()) / nx;
        const double cellH = static_cast<double>(big.height()) / ny;
        const double cell = std::min(cellW, cellH);
        // Strip labels sit in a corner, smaller, so the frame stays visible.
        const double badge = column.stripCells > 0 ? 0.28 : 0.4;
        font.setPixelSize(std::max(8, static_cast<int>(cell * badge * 0.85)));
        font.setBold(true);
        p.setFont(font);
        for (int i = 0; i < nx * ny; ++i) {
            const QRectF rect((i % nx) * cellW, (i / nx) * cellH, cellW, cellH);
            if (column.stripCells > 0 && i > 0) { // frames of a strip need a visible seam
                p.setPen(QPen(QColor(255, 255, 255, 200), 2.0));
                p.drawLine(rect.topLeft(), rect.bottomLeft());
            }
            if (column.cellWrong.defined() && column.cellWrong[r][i].item<bool>()) {
                p.setPen(QPen(QColor(230, 40, 40), std::max(2.0, cell * 0.07)));
                p.setBrush(Qt::NoBrush);
                p.drawRect(rect.adjusted(2, 2, -2, -2));
            }
            if (column.cellLabels.defined()) {
                const QString text = QString::number(column.cellLabels[r][i].item<int64_t>());
                const QPointF centre = column.stripCells > 0
                                           ? rect.topLeft() + QPointF(cell * (badge / 2 + 0.04),
                                                                      cell * (badge / 2 + 0.04))
                                           : rect.center();
                const QRectF box(centre - QPointF(cell * badge / 2, cell * badge / 2),
                                 QSizeF(cell * badge, cell * badge));
                p.setPen(Qt::NoPen);
                p.setBrush(QColor(0, 0, 0, 150));
                p.drawEllipse(box);
                p.setPen(Qt::white);
                p.drawText(box, Qt::AlignCenter, text);
            }
        }
    }
    if (caption) {
        font.setPixelSize(std::max(9, big.height() / 9));
        font.setBold(false);
        p.setFont(font);
        const QString text = QString::fromStdString(column.captions[r]);
        const QRect box(0, big.height() - font.pixelSize() - 6,
                        p.fontMetrics().horizontalAdvance(text) + 10, font.pixelSize() + 6);
        p.fillRect(box, QColor(0, 0, 0, 170));
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, text);
    }
    return big;
}
} // namespace

ImageGrid toImageGrid(const std::vector<VisualColumn>& columns, qint64 step) {
    ImageGrid grid;
    grid.step = step;
    if (columns.empty()) {
        return grid;
    }
    const int64_t rows = columns.front().images.size(0);
    for (const auto& column : columns) {
        grid.columnTitles << taskText(column.title);
    }
    for (int64_t r = 0; r < rows; ++r) {
        QList<QImage> row;
        for (const auto& column : columns) {
            row << withOverlays(toQImage(column.images[r]), column, r);
        }
        grid.rows << row;
    }
    return grid;
}

QList<GridFigure> toGridFigures(const std::vector<Figure>& figures) {
    QList<GridFigure> out;
    for (const auto& f : figures) {
        out.push_back({QString::fromStdString(f.title), toQImage(f.image),
                       QString::fromStdString(f.caption)});
    }
    return out;
}

} // namespace pretext
