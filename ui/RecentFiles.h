#pragma once
// File ▸ Open Recent: the last data opened (image files, folders, videos), kept with
// QSettings across sessions, newest first.
#include <QMenu>

class RecentFiles : public QMenu {
    Q_OBJECT
public:
    explicit RecentFiles(QWidget* parent = nullptr);
    // One entry for what one load opened (several files together are one entry).
    void add(const QStringList& paths);
    QList<QStringList> entries() const;

Q_SIGNALS:
    void openRequested(const QStringList& paths);

private:
    void rebuild();
    static constexpr int kMaxEntries = 10;
};
