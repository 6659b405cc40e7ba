// Run configs: any JSON is accepted or refused with its problems listed; what is
// accepted writes back (runConfigJson) into a config that is accepted again, equal.
#include "RunConfig.h"

#include <QJsonDocument>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
    if (!doc.isObject()) {
        return 0;
    }
    pretext::RunConfig config;
    QString error;
    if (!pretext::parseRunConfig(doc.object(), &config, &error)) {
        if (error.isEmpty()) {
            std::abort();
        }
        return 0;
    }
    const QJsonObject written = pretext::runConfigJson(config.settings, config.data);
    pretext::RunConfig again;
    if (!pretext::parseRunConfig(written, &again, &error) ||
        pretext::runConfigJson(again.settings, again.data) != written) {
        std::abort();
    }
    return 0;
}
