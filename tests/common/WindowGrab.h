#pragma once
// With PRETEXT_GRAB_DIR naming a folder, a UI test saves the window there as NAME.png at
// the states it reaches: pictures for a person to look at, and how the README's pictures
// of states reached only by clicking (step mode, a finished diagnostic) are made.
#include <QDir>
#include <QTest>
#include <QWidget>

inline void grabWindow(QWidget& window, const char* name) {
    const QString dir = qEnvironmentVariable("PRETEXT_GRAB_DIR");
    if (!dir.isEmpty()) {
        QTest::qWait(400); // queued replots and repaints land first
        window.grab().save(QDir(dir).filePath(QLatin1String(name) + QStringLiteral(".png")));
    }
}
