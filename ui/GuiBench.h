#pragma once
// The window under load: trains at full speed while a 10 ms heartbeat timer measures
// how late the event loop serves it (`pretext-workbench bench-gui`).
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QVector>

class QApplication;

// Records how late each tick of a precise repeating timer arrives.
class EventLoopProbe : public QObject {
    Q_OBJECT
public:
    explicit EventLoopProbe(int intervalMs = 10, QObject* parent = nullptr);
    void start();
    void stop();
    int ticks() const { return static_cast<int>(m_lateMs.size()); }
    double maxLateMs() const;
    // The p-th percentile (0..100) of the lateness, in ms.
    double percentileLateMs(double p) const;

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    QVector<double> m_lateMs;
};

// Runs the GUI bench: options --seconds N (20), --task NAME, --param NAME=VALUE.
// Prints the event loop's lateness and the training speed; returns the exit code.
int runGuiBench(QApplication& app, const QStringList& args);
