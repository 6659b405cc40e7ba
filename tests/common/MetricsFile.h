#pragma once
// What the run-folder tests compare: step -> loss of a metrics.csv, as text, so that
// equality is exact.
#include <QFile>
#include <QMap>
#include <QString>
#include <QStringList>

inline QMap<int, QString> lossesOf(const QString& metricsCsv) {
    QMap<int, QString> losses;
    QFile f(metricsCsv);
    if (f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList cells = lines[i].split(',');
            losses.insert(cells.value(0).toInt(), cells.value(2));
        }
    }
    return losses;
}
