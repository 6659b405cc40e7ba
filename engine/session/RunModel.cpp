#include "RunModel.h"

#include "Fail.h"
#include "Probe.h"
#include "Rng.h"
#include "RunFolder.h"
#include "StateDict.h"
#include "tasks/Backbones.h"
#include "tasks/Registry.h"
#include "tasks/rotation/RotationTask.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct RunModelTr {
    Q_DECLARE_TR_FUNCTIONS(ProbeRun)
};
} // namespace

namespace {
// The rotation task's model around an encoder from elsewhere, fed as it expects.
class StateDictProbeTask : public RotationTask {
public:
    StateDictProbeTask(std::string inputNorm, std::string description)
        : m_inputNorm(std::move(inputNorm)) {
        m_info = RotationTask::info();
        m_info.name = "state-dict";
        m_info.title = "State dict";
        m_info.encoderInput = std::move(description);
    }
    const TaskInfo& info() const override { return m_info; }
    torch::Tensor probeInput(const torch::Tensor& images, const ParamValues&) const override {
        if (m_inputNorm == "imagenet") {
            const auto o = images.options();
            const auto mean = torch::tensor({0.485, 0.456, 0.406}, o).view({1, 3, 1, 1});
            const auto sd = torch::tensor({0.229, 0.224, 0.225}, o).view({1, 3, 1, 1});
            return (images - mean) / sd;
        }
        return m_inputNorm == "symmetric" ? images * 2.0 - 1.0 : images;
    }

private:
    std::string m_inputNorm;
    TaskInfo m_info;
};
} // namespace

RunModel openStateDictModel(const QString& path, const QString& backbone, const QString& stem,
                            const QString& inputNorm, int sizePx) {
    const QString where = QDir::toNativeSeparators(path);
    const QStringList norms{"imagenet", "symmetric", "unit"};
    if (!norms.contains(inputNorm)) {
        fail(RunModelTr::tr("input normalisation '%1': choose %2")
                 .arg(inputNorm, norms.join(QStringLiteral(", "))));
    }
    StateDict dict;
    std::vector<std::string> notes;
    try {
        dict = loadStateDict(where.toStdString(), &notes);
    } catch (const StateDictError& e) {
        fail(QString::fromUtf8(e.what()));
    }
    // What the file looks like, where the caller left it open: "resnet50 (ImageNet stem)".
    const QString looks = QString::fromStdString(guessArchitecture(dict));
    QString name = backbone.isEmpty() ? looks.section(QLatin1Char(' '), 0, 0) : backbone;
    const auto kind = parseBackbone(name.toStdString());
    if (!kind) {
        fail(RunModelTr::tr("%1: %2; give --backbone small, resnet18, resnet34 or resnet50")
                 .arg(where, name.isEmpty() ? RunModelTr::tr("not a backbone this program knows")
                                            : RunModelTr::tr("'%1' is not a backbone").arg(name)));
    }
    RunModel m;
    m.task = std::make_unique<StateDictProbeTask>(
        inputNorm.toStdString(), "RGB in [0, 1], normalised: " + inputNorm.toStdString());
    ParamValues params = withDefaults(m.task->info(), {});
    params["backbone"] = static_cast<double>(*kind);
    const bool smallStem = stem.isEmpty() || stem == QLatin1String("auto")
                               ? looks.contains(QLatin1String("small-input"))
                               : stem == QLatin1String("small-input");
    params["stem"] = static_cast<double>(smallStem ? StemChoice::SmallInput : StemChoice::ImageNet);
    if (*kind == Backbone::Small) {
        // The small encoder's width is in its first convolution.
        for (const auto& [key, tensor] : dict) {
            if (key == "layers.0.weight") {
                params["base_channels"] = static_cast<double>(tensor.size(0));
            }
        }
    }
    m.params = params;
    {
        const GlobalRngLock drawing;
        m.model = m.task->makeModel(params);
    }
    try {
        loadEncoderState(*m.model->encoder(), dict, where.toStdString());
    } catch (const StateDictError& e) {
        fail(QString::fromUtf8(e.what()));
    }
    m.config.settings.task = QStringLiteral("state-dict");
    m.config.data.insert(QStringLiteral("size_px"), sizePx);
    m.sizePx = sizePx;
    return m;
}

RunModel openRunModel(const QString& runDir) {
    RunModel m;
    RunConfig& config = m.config;
    QString error;
    QByteArray bytes;
    const QString where = QDir::toNativeSeparators(runDir);
    if (QFileInfo(runDir).isFile()) {
        // A checkpoint on its own: the run's config travels inside it.
        QFile file(runDir);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(QStringLiteral("%1: %2").arg(where, file.errorString()));
        }
        bytes = file.readAll();
        std::string text;
        try {
            text = checkpointConfig(bytes.toStdString());
        } catch (const std::exception& e) {
            fail(QStringLiteral("%1: %2").arg(where, QString::fromUtf8(e.what())));
        }
        const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
        if (json.isEmpty() || !parseRunConfig(json, &config, &error)) {
            fail(RunModelTr::tr("%1: the checkpoint carries no readable run config%2")
                     .arg(where, error.isEmpty()
                                     ? QString()
                                     : QStringLiteral(" (") + error + QLatin1Char(')')));
        }
    } else {
        if (!readRunSettings(runDir, &config, &error)) {
            fail(error);
        }
        auto folder = RunFolder::open(runDir, &error);
        QJsonObject manifest;
        if (!folder || !folder->readCheckpoint(config.settings.task, &bytes, &manifest, &error)) {
            fail(error);
        }
    }
    m.task = makeTask(config.settings.task.toStdString());
    m.sizePx = config.data.value(QStringLiteral("size_px")).toInt(64);
    m.params = resolveStem(
        *m.task, withDefaults(m.task->info(), toParamValues(config.settings.params)), m.sizePx);
    try {
        m.model = modelFromCheckpoint(*m.task, m.params, bytes.toStdString(), &m.step);
    } catch (const std::exception& e) {
        fail(QStringLiteral("%1: %2").arg(where, QString::fromUtf8(e.what())));
    }
    return m;
}

} // namespace pretext
