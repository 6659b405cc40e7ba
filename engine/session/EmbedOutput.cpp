// The embedding map written to a file: drawn (.png), as a table (.csv), or as tensors
// Python's torch.load reads (.pt), and the colours the map and the window share.
#include "EmbedRun.h"

#include "EmbedFeatures.h"
#include "Fail.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QSaveFile>
#include <QTextStream>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pretext {

namespace {
struct EmbedOutputTr {
    Q_DECLARE_TR_FUNCTIONS(EmbedRun)
};

void save(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        fail(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
}

QByteArray csv(const EmbedMap& map) {
    QByteArray text;
    QTextStream out(&text);
    out << "x,y," << (map.labelled() ? "label,class" : map.colourBy) << ",name\n";
    auto quoted = [](QString s) {
        return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
               QLatin1Char('"');
    };
    for (int i = 0; i < map.points.size(); ++i) {
        out << QString::number(map.points[i].x(), 'g', 7) << ','
            << QString::number(map.points[i].y(), 'g', 7) << ',';
        if (map.labelled()) {
            out << map.labels[i] << ',' << quoted(map.classes.value(map.labels[i]));
        } else {
            out << QString::number(map.values.value(i), 'g', 5);
        }
        out << ',' << quoted(map.names.value(i)) << '\n';
    }
    out.flush();
    return text;
}

QByteArray tensors(const EmbedMap& map) {
    if (!map.features) {
        fail(EmbedOutputTr::tr("the map holds no features to write"));
    }
    const EmbedFeatures& f = *map.features;
    c10::impl::GenericDict d(c10::StringType::get(), c10::AnyType::get());
    d.insert("features", f.trained.at(static_cast<size_t>(map.stage - 1)).to(torch::kCPU));
    c10::List<torch::Tensor> stages;
    for (const auto& s : f.trained) {
        stages.push_back(s.to(torch::kCPU));
    }
    d.insert("stages", stages);
    d.insert("stage", static_cast<int64_t>(map.stage));
    c10::List<std::string> names, classes;
    for (const QString& n : map.names) {
        names.push_back(n.toStdString());
    }
    for (const QString& c : map.classes) {
        classes.push_back(c.toStdString());
    }
    d.insert("names", names);
    d.insert("classes", classes);
    if (f.labels.defined()) {
        d.insert("labels", f.labels.to(torch::kCPU));
    }
    auto points = torch::empty({static_cast<int64_t>(map.points.size()), 2}, torch::kFloat);
    for (int i = 0; i < map.points.size(); ++i) {
        points[i][0] = map.points[i].x();
        points[i][1] = map.points[i].y();
    }
    d.insert("points", points);
    d.insert("method", map.methodKey.toStdString());
    d.insert("task", map.task.toStdString());
    d.insert("step", static_cast<int64_t>(map.step));
    d.insert("image_size_px", static_cast<int64_t>(map.sizePx));
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(d));
    return {bytes.data(), static_cast<qsizetype>(bytes.size())};
}
} // namespace

QColor classColour(int c) {
    // Ten hues far apart (the "category10" palette's order), lighter for classes 10 and on.
    static const QColor base[10] = {
        {31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
        {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
    const QColor colour = base[std::abs(c) % 10];
    return (std::abs(c) / 10) % 2 == 0 ? colour : colour.lighter(140);
}

QColor valueColour(double v) {
    // Dark blue through teal and green to yellow, perceptually ordered.
    static const QColor stops[5] = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    const double t = std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0) * 4.0;
    const int i = std::min(3, static_cast<int>(t));
    const double f = t - i;
    auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    return {mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
            mix(stops[i].blue(), stops[i + 1].blue())};
}

QImage drawEmbedMap(const EmbedMap& map, const QSize& size) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const int legendWidth = map.labelled() ? 150 : 110;
    const QRect title(10, 4, size.width() - 20, 40);
    const QRect plot(16, 48, size.width() - legendWidth - 32, size.height() - 64);
    p.setPen(Qt::black);
    p.drawText(title, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               EmbedOutputTr::tr("%1 at step %2, stage %3: %4 — %5")
                   .arg(map.task)
                   .arg(map.step)
                   .arg(map.stage)
                   .arg(map.method, map.source));
    p.setPen(QColor(200, 200, 200));
    p.drawRect(plot);
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    if (!map.points.isEmpty()) {
        x0 = x1 = map.points[0].x();
        y0 = y1 = map.points[0].y();
        for (const QPointF& q : map.points) {
            x0 = std::min(x0, q.x());
            x1 = std::max(x1, q.x());
            y0 = std::min(y0, q.y());
            y1 = std::max(y1, q.y());
        }
    }
    const double sx = (plot.width() - 12) / std::max(x1 - x0, 1e-12);
    const double sy = (plot.height() - 12) / std::max(y1 - y0, 1e-12);
    double lo = 0, hi = 1;
    if (!map.labelled() && !map.values.isEmpty()) {
        lo = *std::min_element(map.values.begin(), map.values.end());
        hi = *std::max_element(map.values.begin(), map.values.end());
    }
    p.setPen(Qt::NoPen);
    for (int i = 0; i < map.points.size(); ++i) {
        const QColor c = map.labelled()
                             ? classColour(map.labels[i])
                             : valueColour((map.values.value(i) - lo) / std::max(hi - lo, 1e-12));
        p.setBrush(c);
        const QPointF at(plot.left() + 6 + (map.points[i].x() - x0) * sx,
                         plot.bottom() - 6 - (map.points[i].y() - y0) * sy);
        p.drawEllipse(at, 2.5, 2.5);
    }
    // Legend: the classes, or the colour scale.
    p.setPen(Qt::black);
    int y = plot.top();
    const int lx = plot.right() + 12;
    if (map.labelled()) {
        for (int c = 0; c < map.classes.size(); ++c) {
            p.setBrush(classColour(c));
            p.setPen(Qt::NoPen);
            p.drawEllipse(QPointF(lx + 5, y + 8), 5, 5);
            p.setPen(Qt::black);
            p.drawText(QRect(lx + 16, y, legendWidth - 20, 16), Qt::AlignVCenter, map.classes[c]);
            y += 18;
        }
    } else {
        p.drawText(QRect(lx, y, legendWidth, 16), Qt::AlignVCenter, map.colourBy);
        y += 18;
        for (int s = 0; s <= 10; ++s) {
            p.fillRect(QRect(lx, y + s * 12, 16, 12), valueColour(1.0 - s / 10.0));
        }
        p.drawText(QRect(lx + 20, y, 80, 12), Qt::AlignVCenter, QString::number(hi, 'f', 2));
        p.drawText(QRect(lx + 20, y + 120, 80, 12), Qt::AlignVCenter, QString::number(lo, 'f', 2));
    }
    return image;
}

void writeEmbedding(const EmbedMap& map, const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) {
        const QImage image = drawEmbedMap(map, {900, 700});
        QByteArray bytes;
        {
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "PNG");
        }
        save(path, bytes);
    } else if (suffix == QLatin1String("csv")) {
        save(path, csv(map));
    } else if (suffix == QLatin1String("pt")) {
        save(path, tensors(map));
    } else {
        fail(EmbedOutputTr::tr("%1: the map is written as .png, .csv or .pt, not .%2")
                 .arg(QDir::toNativeSeparators(path), suffix));
    }
}

} // namespace pretext
