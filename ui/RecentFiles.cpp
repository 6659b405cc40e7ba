#include "RecentFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace {
const QString kKey = QStringLiteral("data/recent");
}

RecentFiles::RecentFiles(QWidget* parent) : QMenu(tr("Open &Recent"), parent) {
    setObjectName(QStringLiteral("recentMenu"));
    rebuild();
}

QList<QStringList> RecentFiles::entries() const {
    QList<QStringList> out;
    for (const QVariant& v : QSettings().value(kKey).toList()) {
        const QStringList paths = v.toStringList();
        if (!paths.isEmpty()) {
            out << paths;
        }
    }
    return out;
}

void RecentFiles::add(const QStringList& paths) {
    if (paths.isEmpty()) {
        return;
    }
    QStringList absolute;
    for (const QString& p : paths) {
        absolute << QFileInfo(p).absoluteFilePath();
    }
    QList<QStringList> list = entries();
    list.removeAll(absolute);
    list.prepend(absolute);
    QVariantList stored;
    for (int i = 0; i < list.size() && i < kMaxEntries; ++i) {
        stored << QVariant(list[i]);
    }
    QSettings().setValue(kKey, stored);
    rebuild();
}

void RecentFiles::rebuild() {
    clear();
    const QList<QStringList> list = entries();
    for (int i = 0; i < list.size(); ++i) {
        const QStringList& paths = list[i];
        QString label = QDir::toNativeSeparators(paths.front());
        if (paths.size() > 1) {
            label = tr("%1 and %n more", nullptr, static_cast<int>(paths.size() - 1)).arg(label);
        }
        QAction* action = addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(
            label.replace(QLatin1Char('&'), QStringLiteral("&&"))));
        action->setToolTip(paths.join(QLatin1Char('\n')));
        connect(action, &QAction::triggered, this, [this, paths] { Q_EMIT openRequested(paths); });
    }
    if (list.isEmpty()) {
        addAction(tr("(nothing opened yet)"))->setEnabled(false);
        return;
    }
    addSeparator();
    addAction(tr("&Clear the list"), this, [this] {
        QSettings().remove(kKey);
        rebuild();
    });
}
