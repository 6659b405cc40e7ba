#include "EncoderExport.h"

#include "Fail.h"
#include "RunFolder.h"
#include "RunModel.h"
#include "StateDict.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

namespace {
struct EncoderExportTr {
    Q_DECLARE_TR_FUNCTIONS(EncoderExport)
};

// Three lines of Python that load the file into the matching torchvision model.
QString pythonSnippet(const EncoderImpl& encoder, const QString& file) {
    const EncoderOptions& o = encoder.options();
    const QString name = QFileInfo(file).fileName();
    if (o.backbone == Backbone::Small) {
        return QStringLiteral("import torch\n"
                              "state = torch.load(\"%1\")  # the program's small encoder: "
                              "layers.N.* (conv, batch norm, ReLU; three stride-2 stages)\n"
                              "print({k: tuple(v.shape) for k, v in state.items()})")
            .arg(name);
    }
    QString model = QStringLiteral("m = torchvision.models.%1()")
                        .arg(QString::fromStdString(backboneName(o.backbone)));
    if (o.inChannels != 3 || o.smallInputStem) {
        model += QStringLiteral("; m.conv1 = torch.nn.Conv2d(%1, 64, %2, bias=False)")
                     .arg(o.inChannels)
                     .arg(o.smallInputStem ? QStringLiteral("3, 1, 1") : QStringLiteral("7, 2, 3"));
    }
    if (o.smallInputStem) {
        model += QStringLiteral("; m.maxpool = torch.nn.Identity()");
    }
    return QStringLiteral("import torch, torchvision\n%1\n"
                          "print(m.load_state_dict(torch.load(\"%2\"), strict=False))  # "
                          "missing: fc.weight, fc.bias only")
        .arg(model, name);
}
} // namespace

QJsonObject exportEncoder(const ExportRequest& q) {
    if (!q.outPath.endsWith(QLatin1String(".pt")) && !q.outPath.endsWith(QLatin1String(".pth"))) {
        fail(EncoderExportTr::tr("%1: the encoder file's name must end in .pt or .pth")
                 .arg(QDir::toNativeSeparators(q.outPath)));
    }
    RunModel run = openRunModel(q.runDir);
    auto encoder = run.model->encoder();
    if (q.stage < 0 || q.stage > encoder->stageCount()) {
        fail(EncoderExportTr::tr("stage %1: the encoder has stages 1 to %2")
                 .arg(q.stage)
                 .arg(encoder->stageCount()));
    }
    const StateDict dict = encoderStateDict(*encoder, q.stage);
    const QString jsonPath = q.outPath.left(q.outPath.lastIndexOf(QLatin1Char('.'))) + ".json";

    const EncoderOptions& o = encoder->options();
    const TaskInfo& info = run.task->info();
    QJsonObject json{
        {"format", QStringLiteral("pretext-workbench encoder 1")},
        {"file", QFileInfo(q.outPath).fileName()},
        {"run", QDir::toNativeSeparators(QFileInfo(q.runDir).absoluteFilePath())},
        {"task", QString::fromStdString(info.name)},
        {"backbone", QString::fromStdString(backboneName(o.backbone))},
        {"encoder", QString::fromStdString(encoder->describe())},
        {"stem", o.backbone == Backbone::Small
                     ? QJsonValue()
                     : QJsonValue(o.smallInputStem ? QStringLiteral("small-input")
                                                   : QStringLiteral("imagenet"))},
        {"in_channels", static_cast<qint64>(o.inChannels)},
        {"stages_exported", q.stage > 0 ? q.stage : encoder->stageCount()},
        {"stage_channels",
         [&] {
             QJsonArray a;
             for (int s = 0; s < encoder->stageCount(); ++s) {
                 a.append(static_cast<qint64>(encoder->stageChannels(s)));
             }
             return a;
         }()},
        {"output_stride", static_cast<qint64>(encoder->outputStride())},
        {"steps", static_cast<qint64>(run.step)},
        {"input_size_px", run.sizePx},
        {"input", QString::fromStdString(info.encoderInput)},
        {"tensors", static_cast<qint64>(dict.size())},
        {"data", run.config.data},
        {"python", pythonSnippet(*encoder, q.outPath)},
    };
    // The probe's results, when the run was probed.
    const QFileInfo target(q.runDir);
    QFile probe(QDir(target.isFile() ? target.absolutePath() : q.runDir)
                    .filePath(QStringLiteral("probe.json")));
    if (probe.open(QIODevice::ReadOnly)) {
        const QJsonObject p = QJsonDocument::fromJson(probe.readAll()).object();
        if (!p.isEmpty()) {
            json.insert(QStringLiteral("probe"),
                        QJsonObject{{"labels", p.value(QStringLiteral("labels"))},
                                    {"checkpoint_step", p.value(QStringLiteral("checkpoint_step"))},
                                    {"stages", p.value(QStringLiteral("stages"))},
                                    {"random_weights", p.value(QStringLiteral("random_weights"))}});
        }
    }
    try {
        saveStateDict(dict, QDir::toNativeSeparators(q.outPath).toStdString());
    } catch (const StateDictError& e) {
        fail(QString::fromUtf8(e.what()));
    }
    QSaveFile file(jsonPath);
    const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        fail(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(jsonPath), file.errorString()));
    }
    return json;
}

} // namespace pretext
