#pragma once
// A run's settings as JSON: what config.json holds, what File ▸ Save Config writes
// and what `train --config FILE` and File ▸ Load Config read. Reading is strict: an
// unknown key or a bad value is named, so a typo never silently trains something else.
#include "SessionTypes.h"

#include <QJsonObject>
#include <QString>

namespace pretext {

struct RunConfig {
    TrainSettings settings;
    // Where the data came from, as LoadedData::description records it ("source":
    // demo | files | videos, with its paths and sizes); empty when the file names none.
    QJsonObject data;
};

// Parses a config object. Unknown keys and bad values are listed in *error, one line
// each, named by their path ("params.mask", "data.size_px").
bool parseRunConfig(const QJsonObject& json, RunConfig* config, QString* error);
// Reads and parses a JSON file; the error names the file.
bool readRunConfig(const QString& path, RunConfig* config, QString* error);
// The settings and data of the run in `runDir`, from its config.json (strictly read);
// refuses a folder that is no run or a run that does not record its data.
bool readRunSettings(const QString& runDir, RunConfig* config, QString* error);
// The settings as a config object (choices by name), with `data` when not empty.
QJsonObject runConfigJson(const TrainSettings& settings, const QJsonObject& data = {});

} // namespace pretext
