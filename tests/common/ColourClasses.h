#pragma once
// A labelled folder for the k-NN monitor's tests: one subfolder per class, "warm" (reds)
// and "cold" (blues), `perClass` flat PNGs of side `side` in shades of the class's
// colour. Returns false when an image could not be written.
#include <QDir>
#include <QImage>
#include <QString>

#include <algorithm>

inline bool writeColourClasses(const QString& root, int perClass, int side) {
    for (const bool warm : {true, false}) {
        const QString cls = warm ? QStringLiteral("warm") : QStringLiteral("cold");
        QDir(root).mkpath(cls);
        for (int i = 0; i < perClass; ++i) {
            QImage img(side, side, QImage::Format_RGB32);
            const int shade = 120 + (120 * i) / std::max(1, perClass);
            img.fill(warm ? qRgb(shade, 40, 20) : qRgb(20, 40, shade));
            if (!img.save(QStringLiteral("%1/%2/%3.png").arg(root, cls).arg(i))) {
                return false;
            }
        }
    }
    return true;
}
