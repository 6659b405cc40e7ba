#include "RunModel.h"

#include "Probe.h"
#include "RunFolder.h"
#include "tasks/Backbones.h"
#include "tasks/Registry.h"

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
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ProbeRun)
};

[[noreturn]] void fail(const QString& message) {
    throw std::runtime_error(message.toStdString());
}
} // namespace

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
            fail(Text::tr("%1: the checkpoint carries no readable run config%2")
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
