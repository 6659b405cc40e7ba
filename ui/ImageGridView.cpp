#include "ImageGridView.h"

#include <QPainter>
#include <QRegularExpression>

#include <algorithm>

namespace {
// A column title in its box: word-wrapped; where a single word is wider than the box the
// font shrinks (to about two thirds at most), and a word still too wide is elided
// rather than cut at both ends.
void drawTitle(QPainter& painter, const QRect& cellBox, int flags, const QString& title) {
    const QRect box = cellBox.adjusted(-3, 0, 3, 0); // the gaps beside the column are room too
    QFont font = painter.font();
    auto widestWord = [&title](const QFontMetrics& metrics) {
        int widest = 0;
        for (const QString& word : title.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
            widest = std::max(widest, metrics.horizontalAdvance(word));
        }
        return widest;
    };
    for (int i = 0; i < 3 && widestWord(QFontMetrics(font)) > box.width(); ++i) {
        font.setPointSizeF(font.pointSizeF() * 0.88);
    }
    const QFontMetrics metrics(font);
    QStringList lines;
    for (const QString& line : title.split(QLatin1Char('\n'))) {
        QStringList words;
        for (const QString& word : line.split(QLatin1Char(' '))) {
            words << metrics.elidedText(word, Qt::ElideRight, box.width());
        }
        lines << words.join(QLatin1Char(' '));
    }
    painter.save();
    painter.setFont(font);
    painter.drawText(box, flags | Qt::TextWordWrap, lines.join(QLatin1Char('\n')));
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
    for (int k = 0; k < kinds; ++k) {
        const QString title = m_grid.columnTitles[k];
        if (transposed) {
            const int y = gap + k * (cell + gap);
            drawTitle(painter, QRect(4, y, label - 8, cell), Qt::AlignVCenter | Qt::AlignRight, title);
        } else {
            const int x = slotX(k);
            // Two lines of header: titles wrap at word boundaries, then shrink, then elide.
            drawTitle(painter, QRect(x + 2, 0, static_cast<int>(cell * aspect[k]) - 4, header),
                      Qt::AlignHCenter | Qt::AlignBottom, title);
        }
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
