// `saliency`: which pixels a run's model rests its pretext prediction on, as a picture
// (what the model sees, gradient × input, occlusion; a row per sample).
#include "HeadlessCommon.h"
#include "ImageSheet.h"
#include "SaliencyRun.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>

namespace pretext::headless {

int saliencyCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Saliency of a run's model: on samples the task makes from held-out images, which "
        "pixels the loss rests on, as gradient × input (one backward pass) and occlusion (the "
        "rise of the loss when a square is hidden, square by square); per tile for jigsaw, per "
        "frame for temporal order. Writes the grid as a PNG and prints JSON.");
    p.addHelpOption();
    p.addOptions(
        {{"run", "The run folder, or a checkpoint file (it carries its config).", "DIR"},
         {"images",
          "'demo' (the built-in set; video tasks: the demo video), 'fashion-mnist', a folder "
          "of IDX files, a folder per class, or a folder of images.",
          "SOURCE", "demo"},
         {"count", "Samples shown.", "N", "6"},
         {"patch", "Side of the occluding square in pixels (0: an eighth of the image).", "P", "0"},
         {"seed", "Draws the images and the task's choices (masks, permutations).", "S", "1"},
         {"device", "auto, cpu or cuda.", "device", "auto"},
         {"out", "The picture to write (.png).", "FILE"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (!p.isSet("run") || !p.isSet("out")) {
        throw CommandError{QStringLiteral("--run DIR and --out FILE.png are needed"), 2};
    }
    SaliencyRequest q;
    q.runDir = p.value("run");
    q.images = p.value("images");
    q.count = static_cast<int>(intValue(p, "count", 1, 64));
    q.patch = static_cast<int>(intValue(p, "patch", 0, 4096));
    q.seed = static_cast<quint64>(intValue(p, "seed", 0, std::numeric_limits<int>::max()));
    q.device = p.value("device");
    const SaliencyResult r = saliencyRun(q);
    const QString target = p.value("out");
    const QImage sheet =
        renderSheet(r.grid, QStringLiteral("Saliency: %1 at step %2").arg(r.task).arg(r.step));
    if (!sheet.save(target, "PNG")) {
        throw CommandError{
            QStringLiteral("%1 could not be written (a .png in a writable folder)").arg(target), 1};
    }
    const QJsonObject json{{"run", r.run},
                           {"task", r.task},
                           {"checkpoint_step", r.step},
                           {"samples", static_cast<qint64>(r.grid.rows.size())},
                           {"note", r.note},
                           {"seconds", r.seconds},
                           {"written", QDir::toNativeSeparators(target)}};
    out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)) << Qt::flush;
    return 0;
}

} // namespace pretext::headless
