// The `export` command: a run's encoder as a state dict file PyTorch loads, and its
// description (EncoderExport.h).
#include "EncoderExport.h"
#include "HeadlessCommon.h"

#include <QJsonDocument>

#include <stdexcept>

namespace pretext::headless {

int exportCommand(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        "Writes a run's trained encoder as a state dict that Python's torch.load reads "
        "(torchvision's key names for a ResNet, without fc.*), and FILE.json beside it: "
        "task, backbone, steps, input size and normalisation, data, probe results, and a "
        "Python snippet that loads it. Prints the description.");
    p.addHelpOption();
    p.addOptions(
        {{"run", "The run folder (or a checkpoint file) whose encoder is exported.", "DIR"},
         {"out", "The file to write, ending in .pt or .pth.", "FILE"},
         {"stage", "Export the stem and the stages up to this one (1 = first; 0 = all).", "N",
          "0"}});
    if (!p.parse(args)) {
        throw CommandError{p.errorText(), 2};
    }
    if (p.isSet("help")) {
        throw CommandError{p.helpText(), 0};
    }
    if (!p.positionalArguments().isEmpty()) {
        throw CommandError{
            QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().front()), 2};
    }
    if (!p.isSet("run") || !p.isSet("out")) {
        throw CommandError{QStringLiteral("export needs --run DIR and --out FILE.pt"), 2};
    }
    ExportRequest q;
    q.runDir = p.value("run");
    q.outPath = p.value("out");
    q.stage = static_cast<int>(intValue(p, "stage", 0, 64));
    QJsonObject json;
    try {
        json = exportEncoder(q);
    } catch (const std::runtime_error& e) {
        throw CommandError{QString::fromUtf8(e.what()), 1};
    }
    out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)) << Qt::flush;
    return 0;
}

} // namespace pretext::headless
