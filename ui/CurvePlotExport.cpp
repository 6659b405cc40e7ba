// CurvePlot's exports: every point as CSV, the plot as PNG or PDF.
#include "CurvePlot.h"

#include <QFileInfo>
#include <QSaveFile>
#include <qcustomplot.h>

#include <algorithm>

bool CurvePlot::exportCsv(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = tr("%1 could not be written: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray text = "series,step,wall_time_s,value,smoothed\n";
    for (const auto& s : m_series) {
        QString name = s->name;
        if (name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"'))) {
            name = QLatin1Char('"') + name.replace(QLatin1String("\""), QLatin1String("\"\"")) +
                   QLatin1Char('"');
        }
        const QByteArray prefix = name.toUtf8() + ',';
        for (int i = 0; i < s->values.size(); ++i) {
            text += prefix + QByteArray::number(s->steps[i], 'g', 12) + ',' +
                    QByteArray::number(s->wallS[i], 'f', 3) + ',' +
                    QByteArray::number(s->values[i], 'g', 8) + ',' +
                    (s->smooth ? QByteArray::number(s->smoothed[i], 'g', 8) : QByteArray()) + '\n';
        }
    }
    if (file.write(text) != text.size() || !file.commit()) {
        *error = tr("%1 could not be written: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool CurvePlot::exportImage(const QString& path, QString* error, QSize size) {
    const int w = size.isValid() ? size.width() : std::max(640, m_plot->width());
    const int h = size.isValid() ? size.height() : std::max(400, m_plot->height());
    m_widthOverride = w; // decimated for the picture's width, not the window's
    redrawNow();
    m_widthOverride = 0;
    const bool pdf =
        QFileInfo(path).suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) == 0;
    const bool ok = pdf ? m_plot->savePdf(path, w, h) : m_plot->savePng(path, w, h);
    redrawNow();
    if (!ok) {
        *error = tr("%1 could not be written").arg(path);
    }
    return ok;
}
