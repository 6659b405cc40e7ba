#include "ImageGridView.h"

#include <QPainter>
#include <QRegularExpression>

#include <algorithm>

namespace {
// A column title in its box: word-wrapped; where a single word is wider than the box the
// font shrinks (to about two thirds at most), and a word still too wide is elided
// rather than cut at both ends.
// The title as drawn in `box`: each word elided to the box's width, lines kept.
QString wrappedTitle(const QString& title, const QRect& box, const QFontMetrics& metrics) {
    QStringList lines;
    for (const QString& line : title.split(QLatin1Char('\n'))) {
        QStringList words;
        for (const QString& word : line.split(QLatin1Char(' '))) {
            words << metrics.elidedText(word, Qt::ElideRight, box.width());
        }
        lines << words.join(QLatin1Char(' '));
    }
    return lines.join(QLatin1Char('\n'));
}

// The gaps beside a column are room for its title too.
QRect titleBox(const QRect& cellBox) {
    return cellBox.adjusted(-3, 0, 3, 0);
}

// `font`, smaller until the title's widest word fits the column and its wrapped lines
// the box's height (a title of three lines in a header of two lost its first line),
// down to 6 pt.
QFont fittedFont(QFont font, const QRect& cellBox, int flags, const QString& title) {
    const QRect box = titleBox(cellBox);
    auto fits = [&](const QFont& f) {
        const QFontMetrics metrics(f);
        int widest = 0;
        for (const QString& word :
             title.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
            widest = std::max(widest, metrics.horizontalAdvance(word));
        }
        return widest <= box.width() && metrics.boundingRect(box, flags | Qt::TextWordWrap,
                                                             wrappedTitle(title, box, metrics))
                                                .height() <= box.height();
    };
    for (int i = 0; i < 6 && !fits(font) && font.pointSizeF() * 0.88 >= 6.0; ++i) {
        font.setPointSizeF(font.pointSizeF() * 0.88);
    }
    return font;
}

void drawTitle(QPainter& painter, const QRect& cellBox, int flags, const QString& title,
               const QFont& font) {
    const QRect box = titleBox(cellBox);
    const QFontMetrics metrics(font);
    const QString text = wrappedTitle(title, box, metrics);
    // What still does not fit loses its end rather than its beginning.
    const bool tooTall =
        metrics.boundingRect(box, flags | Qt::TextWordWrap, text).height() > box.height();
    painter.save();
    painter.setFont(font);
    painter.setClipRect(box);
    painter.drawText(box,
                     (tooTall ? (flags & ~Qt::AlignVertical_Mask) | Qt::AlignTop : flags) |
                         Qt::TextWordWrap,
                     text);
    painter.restore();
}
} // namespace

ImageGridView::ImageGridView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageGridView::setGrid(const pretext::ImageGrid& grid) {
    m_grid = grid;
    update();
}

void ImageGridView::setPlaceholder(const QString& text) {
    m_placeholder = text;
    update();
}

void ImageGridView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (m_grid.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const int samples = static_cast<int>(m_grid.rows.size());
    const int kinds = static_cast<int>(m_grid.columnTitles.size());
    const int gap = 4;
    // Width over height of each kind's images: 1 for images, T for a strip of T frames.
    QList<double> aspect;
    double aspectSum = 0.0, aspectMax = 1.0;
    for (int k = 0; k < kinds; ++k) {
        const QImage& image = m_grid.rows.front().value(k);
        aspect << (image.isNull() ? 1.0 : static_cast<double>(image.width()) / image.height());
        aspectSum += aspect.back();
        aspectMax = std::max(aspectMax, aspect.back());
    }
    // Cell height when laid out with kinds across (a header on top) or transposed,
    // samples across (a label band at the left, each slot as wide as the widest kind).
    auto cellSide = [&](bool transposed) {
        const int down = transposed ? kinds : samples;
        const int label = transposed ? kLabelWidth : 0, header = transposed ? 0 : kHeaderHeight;
        const double across = transposed ? samples * aspectMax : aspectSum;
        const int gaps = gap * ((transposed ? samples : kinds) + 1);
        const int cellW = static_cast<int>((width() - label - gaps) / std::max(1.0, across));
        const int cellH = (height() - header - gap * (down + 1)) / std::max(1, down);
        return std::min(cellW, cellH);
    };
    const bool transposed = cellSide(true) >= cellSide(false);
    const int label = transposed ? kLabelWidth : 0, header = transposed ? 0 : kHeaderHeight;
    const int cell = std::max(8, cellSide(transposed));
    // Left edge of each slot along the row.
    auto slotX = [&](int index) {
        if (transposed) {
            return label + gap + index * (static_cast<int>(cell * aspectMax) + gap);
        }
        int x = gap;
        for (int k = 0; k < index; ++k) {
            x += static_cast<int>(cell * aspect[k]) + gap;
        }
        return x;
    };
    painter.setPen(palette().color(QPalette::Text));
    // Two lines of header (or a label band): titles wrap at word boundaries, then shrink,
    // then elide; all in the size the tightest one needs, so that they read as a row.
    QList<QRect> boxes;
    const int flags =
        transposed ? Qt::AlignVCenter | Qt::AlignRight : Qt::AlignHCenter | Qt::AlignBottom;
    QFont font = painter.font();
    for (int k = 0; k < kinds; ++k) {
        boxes << (transposed
                      ? QRect(4, gap + k * (cell + gap), label - 8, cell)
                      : QRect(slotX(k) + 2, 0, static_cast<int>(cell * aspect[k]) - 4, header));
        const QFont fitted =
            fittedFont(painter.font(), boxes.back(), flags, m_grid.columnTitles[k]);
        if (fitted.pointSizeF() < font.pointSizeF()) {
            font = fitted;
        }
    }
    for (int k = 0; k < kinds; ++k) {
        drawTitle(painter, boxes[k], flags, m_grid.columnTitles[k], font);
    }
    for (int s = 0; s < samples; ++s) {
        for (int k = 0; k < kinds && k < m_grid.rows[s].size(); ++k) {
            const int col = transposed ? s : k, row = transposed ? k : s;
            const QRect target(slotX(col), header + gap + row * (cell + gap),
                               static_cast<int>(cell * aspect[k]), cell);
            painter.drawImage(target, m_grid.rows[s][k]);
        }
    }
}
