#include "InspectView.h"

#include "TaskText.h"
#include "TensorImage.h"

#include <torch/torch.h>

#include <array>

namespace pretext {

QImage heatMapImage(const torch::Tensor& map, const QSize& size) {
    auto m = map.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const float top = m.max().item<float>();
    m = top > 0.0f ? m / top : m;
    // Stops of a perceptually ordered map (dark to bright), linearly blended.
    static const std::array<std::array<float, 3>, 5> stops{{{0.00f, 0.00f, 0.02f},
                                                            {0.34f, 0.06f, 0.43f},
                                                            {0.73f, 0.21f, 0.33f},
                                                            {0.98f, 0.55f, 0.04f},
                                                            {0.99f, 1.00f, 0.64f}}};
    const int h = static_cast<int>(m.size(0)), w = static_cast<int>(m.size(1));
    QImage image(w, h, QImage::Format_RGB888);
    const float* v = m.data_ptr<float>();
    for (int y = 0; y < h; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < w; ++x) {
            const float t = std::clamp(v[y * w + x], 0.0f, 1.0f) * 4.0f;
            const int i = std::min(3, static_cast<int>(t));
            const float f = t - static_cast<float>(i);
            for (int c = 0; c < 3; ++c) {
                line[3 * x + c] =
                    static_cast<uchar>(255.0f * ((1 - f) * stops[i][c] + f * stops[i + 1][c]));
            }
        }
    }
    return size.isValid() && size != image.size()
               ? image.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation)
               : image;
}

InspectionView toInspectionView(const GradientInspection& in) {
    InspectionView v;
    v.task = QString::fromStdString(in.task);
    v.form = QString::fromLatin1(lossFormName(in.form));
    v.step = in.step;
    v.loss = in.loss;
    v.count = in.count;
    v.rows = static_cast<int>(in.rows);
    v.sample = static_cast<int>(in.sample);
    v.maxAbsDifference = in.maxAbsDifference;
    v.maxAbsGradient = in.maxAbsGradient;
    QSize imageSize;
    for (const auto& column : in.columns) {
        v.columnTitles << taskText(column.title);
        v.columns << toQImage(column.images[0]);
        imageSize = v.columns.back().size();
    }
    if (in.gradientMap.defined()) {
        v.heatMap = heatMapImage(in.gradientMap, imageSize);
    }
    for (const auto& e : in.entries) {
        v.entries << GradientEntryView{QString::fromStdString(e.where), e.predicted, e.target,
                                       e.autograd, e.closedForm};
    }
    v.probabilities = QList<double>(in.probabilities.begin(), in.probabilities.end());
    for (const auto& label : in.labels) {
        v.labels << QString::fromStdString(label);
    }
    v.trueClass = static_cast<int>(in.trueClass);
    v.truthCaption = QString::fromStdString(in.truthCaption);
    v.trueProbability = in.trueProbability;
    v.negLogTrue = in.negLogTrue;
    v.meanTrueProbability = in.meanTrueProbability;
    v.meanNegLogTrue = in.meanNegLogTrue;
    return v;
}

} // namespace pretext
