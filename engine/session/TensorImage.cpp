#include "TensorImage.h"

#include <torch/torch.h>

namespace pretext {

QImage toQImage(const torch::Tensor& chw) {
    auto t = chw.detach().to(torch::kCPU, torch::kFloat32);
    if (t.size(0) == 1) {
        t = t.expand({3, -1, -1});
    }
    auto hwc = t.clamp(0.0, 1.0).mul(255.0).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    const int h = static_cast<int>(hwc.size(0)), w = static_cast<int>(hwc.size(1));
    QImage image(w, h, QImage::Format_RGB888);
    const uint8_t* src = hwc.data_ptr<uint8_t>();
    for (int y = 0; y < h; ++y) {
        std::memcpy(image.scanLine(y), src + static_cast<size_t>(y) * w * 3,
                    static_cast<size_t>(w) * 3);
    }
    return image;
}

torch::Tensor fromQImages(const QList<QImage>& images) {
    std::vector<torch::Tensor> out;
    for (const QImage& source : images) {
        const QImage image = source.convertToFormat(QImage::Format_RGB888);
        auto t = torch::empty({image.height(), image.width(), 3}, torch::kUInt8);
        for (int y = 0; y < image.height(); ++y) {
            std::memcpy(t.data_ptr<uint8_t>() + static_cast<size_t>(y) * image.width() * 3,
                        image.constScanLine(y), static_cast<size_t>(image.width()) * 3);
        }
        out.push_back(t.permute({2, 0, 1}).to(torch::kFloat32).div(255.0));
    }
    return torch::stack(out);
}

ImageGrid toImageGrid(const std::vector<VisualColumn>& columns, qint64 step) {
    ImageGrid grid;
    grid.step = step;
    if (columns.empty()) {
        return grid;
    }
    const int64_t rows = columns.front().images.size(0);
    for (const auto& column : columns) {
        grid.columnTitles << QString::fromStdString(column.title);
    }
    for (int64_t r = 0; r < rows; ++r) {
        QList<QImage> row;
        for (const auto& column : columns) {
            row << toQImage(column.images[r]);
        }
        grid.rows << row;
    }
    return grid;
}

} // namespace pretext
