#include "Handout.h"

#include "TaskCatalog.h"
#include "TaskText.h"

#include <QCoreApplication>
#include <QDate>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>

#include <algorithm>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct HandoutTr {
    Q_DECLARE_TR_FUNCTIONS(Handout)
};
} // namespace

HandoutText handoutText(const TaskInfo& info, const QVariantMap& params, quint64 seed,
                        const QString& note) {
    HandoutText t;
    t.title = taskText(info.title);
    t.lines << HandoutTr::tr("Loss: %1").arg(taskText(info.lossFormula));
    QStringList options;
    for (const ParamSpec& spec : info.params) {
        if (spec.display || !paramApplies(spec, params)) {
            continue;
        }
        const double v =
            params.value(QString::fromStdString(spec.name), spec.defaultValue).toDouble();
        const QString value = spec.kind == ParamSpec::Kind::Choice
                                  ? QString::fromStdString(spec.choices.at(std::clamp<size_t>(
                                        static_cast<size_t>(v), 0, spec.choices.size() - 1)))
                                  : QString::number(v);
        options << QStringLiteral("%1 %2").arg(taskText(spec.label), value);
    }
    t.lines << HandoutTr::tr("Settings: %1.").arg(options.join(QStringLiteral(", ")));
    if (!note.isEmpty()) {
        t.lines << note;
    }
    t.footer = HandoutTr::tr("Pretext Workbench %1 · seed %2 · %3")
                   .arg(QStringLiteral(PRETEXT_VERSION))
                   .arg(seed)
                   .arg(QDate::currentDate().toString(Qt::ISODate));
    return t;
}

void paintHandout(QPainter& painter, const QRectF& page, const ImageGrid& grid,
                  const HandoutText& text) {
    const double unit = page.width() / 180.0; // about a millimetre on A4
    painter.save();
    painter.fillRect(page, Qt::white);
    painter.setPen(Qt::black);
    // Title and explanation as rich text, wrapped to the page.
    QTextDocument doc;
    QFont base(QStringLiteral("DejaVu Sans"));
    base.setPixelSize(std::max(8, static_cast<int>(3.2 * unit)));
    doc.setDefaultFont(base);
    doc.setTextWidth(page.width());
    QString html = QStringLiteral("<h1 style=\"font-size:%1px\">%2</h1>")
                       .arg(static_cast<int>(6 * unit))
                       .arg(text.title.toHtmlEscaped());
    for (const QString& line : text.lines) {
        html += QStringLiteral("<p>%1</p>").arg(line.toHtmlEscaped());
    }
    doc.setHtml(html);
    painter.translate(page.topLeft());
    doc.drawContents(&painter);
    painter.translate(-page.topLeft());
    double y = page.top() + doc.size().height() + 3 * unit;

    // The grid: column titles over columns of images, scaled to fill the width.
    const int cols = static_cast<int>(grid.columnTitles.size());
    const int rows = static_cast<int>(grid.rows.size());
    if (cols > 0 && rows > 0) {
        const double gap = 2 * unit;
        const double titleH = 5 * unit;
        QList<double> aspect;
        double aspectSum = 0.0;
        for (int c = 0; c < cols; ++c) {
            const QImage& image = grid.rows.front().value(c);
            aspect << (image.isNull() ? 1.0 : static_cast<double>(image.width()) / image.height());
            aspectSum += aspect.back();
        }
        const double footerH = 8 * unit;
        const double byWidth = (page.width() - (cols - 1) * gap) / aspectSum;
        const double byHeight = (page.bottom() - footerH - y - titleH - (rows - 1) * gap) / rows;
        const double cellH = std::max(4 * unit, std::min(byWidth, byHeight));
        const double used = cellH * aspectSum + (cols - 1) * gap;
        double x = page.left() + (page.width() - used) / 2;
        QFont titleFont = base;
        titleFont.setBold(true);
        painter.setFont(titleFont);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // pixels stay crisp
        for (int c = 0; c < cols; ++c) {
            const double w = cellH * aspect[c];
            painter.drawText(QRectF(x - gap / 2, y, w + gap, titleH),
                             Qt::AlignCenter | Qt::TextWordWrap, grid.columnTitles[c]);
            for (int r = 0; r < rows && c < grid.rows[r].size(); ++r) {
                const QRectF cell(x, y + titleH + r * (cellH + gap), w, cellH);
                painter.drawImage(cell, grid.rows[r][c]);
                painter.setPen(QPen(QColor(160, 160, 160), 0));
                painter.drawRect(cell);
                painter.setPen(Qt::black);
            }
            x += w + gap;
        }
    }
    painter.setFont(base);
    painter.setPen(QColor(90, 90, 90));
    painter.drawText(QRectF(page.left(), page.bottom() - 6 * unit, page.width(), 6 * unit),
                     Qt::AlignLeft | Qt::AlignBottom, text.footer);
    painter.restore();
}

bool writeHandout(const ImageGrid& grid, const HandoutText& text, const QString& path,
                  QString* error) {
    if (grid.isEmpty()) {
        *error = HandoutTr::tr("%1: there are no samples to put on the handout").arg(path);
        return false;
    }
    if (QFileInfo(path).suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) == 0) {
        QPdfWriter pdf(path);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setResolution(300);
        pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        pdf.setTitle(text.title);
        pdf.setCreator(QStringLiteral("Pretext Workbench"));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            *error = HandoutTr::tr("%1 could not be written (is the folder writable?)").arg(path);
            return false;
        }
        paintHandout(
            painter,
            QRectF(QPointF(0, 0), pdf.pageLayout().paintRectPixels(pdf.resolution()).size()), grid,
            text);
        painter.end();
        if (QFileInfo(path).size() == 0) {
            *error = HandoutTr::tr("%1 could not be written").arg(path);
            return false;
        }
        return true;
    }
    // A4 at 150 dpi with 15 mm margins.
    QImage image(1240, 1754, QImage::Format_RGB888);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintHandout(painter, QRectF(89, 89, 1240 - 178, 1754 - 178), grid, text);
    painter.end();
    if (!image.save(path, "PNG")) {
        *error = HandoutTr::tr("%1 could not be written (is the folder writable?)").arg(path);
        return false;
    }
    return true;
}

} // namespace pretext
