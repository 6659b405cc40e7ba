#include "FigureStrip.h"

#include <QPainter>

FigureStrip::FigureStrip(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    hide();
}

void FigureStrip::setFigures(const QList<pretext::GridFigure>& figures) {
    m_figures = figures;
    setVisible(!figures.isEmpty());
    updateGeometry();
    update();
}

QSize FigureStrip::sizeHint() const {
    return {static_cast<int>(m_figures.size()) * 170, 240};
}

void FigureStrip::paintEvent(QPaintEvent*) {
    if (m_figures.isEmpty()) {
        return;
    }
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const int n = static_cast<int>(m_figures.size());
    const int gap = 8;
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    // Room for two lines of title and two of caption; the picture takes the rest.
    const int titleH = fontMetrics().height() * 2 + 2;
    const int captionH = QFontMetrics(small).height() * 2 + 2;
    const int cellW = (width() - gap * (n + 1)) / n;
    const int side = std::max(32, std::min(cellW, height() - titleH - captionH - 6));
    const int top = std::max(0, (height() - titleH - captionH - side - 6) / 2);
    painter.setPen(palette().color(QPalette::Text));
    for (int i = 0; i < n; ++i) {
        const auto& f = m_figures[i];
        const int x = gap + i * (cellW + gap);
        const QRect title(x, top, cellW, titleH);
        painter.setFont(font());
        painter.drawText(title, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, f.title);
        const QRect image(x + (cellW - side) / 2, title.bottom() + 3, side, side);
        painter.drawImage(image, f.image);
        painter.setFont(small);
        painter.drawText(QRect(x, image.bottom() + 3, cellW, captionH),
                         Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, f.caption);
    }
}
