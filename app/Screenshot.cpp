#include "Screenshot.h"

#include "ImageGridView.h"
#include "MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

int takeScreenshot(MainWindow& window, const QString& path, int steps) {
    // The runs a screenshot trains are not the user's: they go to a folder of their own.
    QTemporaryDir runs;
    window.setWorkspace(runs.path(), false);
    if (steps > 0) {
        window.setMaxSteps(steps);
        window.setStartWhenLoaded(true);
    }
    window.resize(1500, 950);
    window.show();

    constexpr qint64 kLimitMs = 600'000;
    QElapsedTimer clock;
    clock.start();
    bool trained = false;
    QTimer poll;
    poll.setInterval(100);
    QObject::connect(
        &poll, &QTimer::timeout, &window, [&] {
            trained = trained || window.engineState() == pretext::EngineState::Running;
            const bool ready =
                steps == 0 ? !window.previewView()->grid().isEmpty()
                           : trained && window.engineState() == pretext::EngineState::Idle &&
                                 !window.reconstructionView()->grid().isEmpty();
            if (clock.elapsed() > kLimitMs) {
                poll.stop();
                QTextStream(stderr)
                    << "pretext-workbench --screenshot: the window was not ready within "
                    << kLimitMs / 1000 << " s\n";
                QApplication::exit(1);
            } else if (ready) {
                poll.stop();
                // One more beat for the plots' batched redraws.
                QTimer::singleShot(600, &window, [&window, path] {
                    const QImage image = window.grab().toImage();
                    if (!image.save(path, "PNG")) {
                        QTextStream(stderr) << "pretext-workbench --screenshot: " << path
                                            << " could not be written\n";
                        QApplication::exit(1);
                        return;
                    }
                    QTextStream(stdout) << "wrote " << path << " (" << image.width() << "x"
                                        << image.height() << ")\n";
                    QApplication::exit(0);
                });
            }
        });
    poll.start();
    return QApplication::exec();
}
