// Renders the application icon's SVG to square PNGs, one folder per size:
//   pretext-render-icon ICON.svg OUT_DIR SIZE...  ->  OUT_DIR/<size>/pretext-workbench.png
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        QTextStream(stderr) << "usage: pretext-render-icon ICON.svg OUT_DIR SIZE...\n";
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        QTextStream(stderr) << args[1] << " is not a valid SVG\n";
        return 1;
    }
    for (const QString& size : args.mid(3)) {
        const int px = size.toInt();
        QImage image(px, px, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString dir = QDir(args[2]).filePath(size);
        if (!QDir().mkpath(dir) || !image.save(QDir(dir).filePath("pretext-workbench.png"))) {
            QTextStream(stderr) << "cannot write " << dir << "\n";
            return 1;
        }
    }
    return 0;
}
