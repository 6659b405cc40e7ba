#include "StartupTiming.h"

#include "ImageGridView.h"
#include "MainWindow.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QTextStream>
#include <QTimer>
#include <QWidget>

#include <ctime>
#include <unistd.h>

namespace {
// Milliseconds since the process started: /proc/self/stat's start time (clock ticks
// since boot) against CLOCK_BOOTTIME now. 0 where unknown.
double msSinceProcessStart() {
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly)) {
        return 0.0;
    }
    const QByteArray line = stat.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20) {
        return 0.0;
    }
    const double startS =
        fields[19].toDouble() / static_cast<double>(sysconf(_SC_CLK_TCK)); // field 22
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return (static_cast<double>(now.tv_sec) + now.tv_nsec * 1e-9 - startS) * 1000.0;
}

// Reports the window's first paint, then the first paint of the preview with the demo
// data in it (the view's own paint event: what a person sees, not when the data arrived).
class FirstPaint : public QObject {
public:
    FirstPaint(QWidget& window, bool quit) : QObject(&window), m_window(window), m_quit(quit) {
        window.installEventFilter(this);
        if (auto* main = qobject_cast<MainWindow*>(&window)) {
            m_preview = main->previewView();
            m_preview->installEventFilter(this);
        }
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() != QEvent::Paint) {
            return false;
        }
        if (watched == &m_window && !m_painted) {
            m_painted = true;
            QTextStream(stderr) << "startup: first paint of the window "
                                << qRound(msSinceProcessStart())
                                << " ms after the process started\n";
        } else if (watched == m_preview && !m_previewed && !m_preview->grid().isEmpty()) {
            m_previewed = true;
            // Reported once the paint is done: the view draws after this filter returns.
            QTimer::singleShot(0, this, [this] { reportPreview(); });
        }
        return false;
    }

private:
    void reportPreview() {
        QTextStream(stderr) << "startup: demo data previewed " << qRound(msSinceProcessStart())
                            << " ms after the process started\n";
        if (m_quit) {
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
    }

    QWidget& m_window;
    ImageGridView* m_preview = nullptr;
    bool m_quit;
    bool m_painted = false;
    bool m_previewed = false;
};
} // namespace

void reportStartup(QWidget& window) {
    const QByteArray mode = qgetenv("PRETEXT_REPORT_STARTUP");
    if (!mode.isEmpty()) {
        new FirstPaint(window, mode == "quit");
    }
}
