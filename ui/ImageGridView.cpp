#include "ImageGridView.h"

#include <QPainter>

ImageGridView::ImageGridView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageGridView::setGrid(const pretext::ImageGrid& grid) {
    m_grid = grid;
    update();
}

void ImageGridView::setTransposed(bool transposed) {
    m_transposed = transposed;
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
    // Laid out as `across` cells per line and `down` lines, with a label band.
    const int across = m_transposed ? samples : kinds;
    const int down = m_transposed ? kinds : samples;
    const int gap = 4, label = m_transposed ? 96 : 0, header = m_transposed ? 0 : 18;
    const int cellW = (width() - label - gap * (across + 1)) / std::max(1, across);
    const int cellH = (height() - header - gap * (down + 1)) / std::max(1, down);
    const int cell = std::max(8, std::min(cellW, cellH));
    painter.setPen(palette().color(QPalette::Text));
    for (int k = 0; k < kinds; ++k) {
        const QString title = m_grid.columnTitles[k];
        if (m_transposed) {
            const int y = gap + k * (cell + gap);
            painter.drawText(QRect(4, y, label - 8, cell), Qt::AlignVCenter | Qt::AlignRight | Qt::TextWordWrap, title);
        } else {
            const int x = gap + k * (cell + gap);
            painter.drawText(QRect(x, 0, cell, header), Qt::AlignCenter, title);
        }
    }
    for (int s = 0; s < samples; ++s) {
        for (int k = 0; k < kinds && k < m_grid.rows[s].size(); ++k) {
            const int col = m_transposed ? s : k, row = m_transposed ? k : s;
            const QRect target(label + gap + col * (cell + gap), header + gap + row * (cell + gap),
                               cell, cell);
            painter.drawImage(target, m_grid.rows[s][k]);
        }
    }
}
