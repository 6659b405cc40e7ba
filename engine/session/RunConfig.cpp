#include "RunConfig.h"

#include <cmath>

#include "Augment.h"
#include "ConvRoutes.h"
#include "Precision.h"
#include "RunFolder.h"
#include "tasks/Registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace pretext {

namespace {
// Messages for a person, through the translator.
struct RunConfigTr {
    Q_DECLARE_TR_FUNCTIONS(RunConfig)
};
} // namespace

namespace {

// Keys config.json writes for a reader's information; accepted and not used.
const QSet<QString> kInformational = {
    "format",       "app_version",   "torch_version",   "device",       "optimizer",
    "images_used",  "windows_used",  "data_note",       "resumed",      "conv_route_summary",
    "augment_used", "pipeline_note", "knn_random_init", "monitor_note", "encoder",
    "global_batch", "distributed",   "precision_used",  "device_name",  "memory_layout"};
const QSet<QString> kSettings = {
    "task",          "params",           "batch_size",   "learning_rate",
    "seed",          "device_requested", "max_steps",    "data",
    "conv_route",    "conv_routes",      "augment",      "monitor",
    "monitor_every", "monitor_stage",    "init_encoder", "accumulate",
    "precision",     "sync_bn",          "channels_last"};
const QSet<QString> kDataKeys = {
    "source",    "paths",          "size_px",      "demo_seed",      "count",   "stride",
    "budget_mb", "videos",         "video_frames", "strides",        "skipped", "labels",
    "draw_seed", "max_megapixels", "pipeline",     "decode_threads", "cache_mb"};

QString typeName(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("true/false");
    case QJsonValue::Double:
        return RunConfigTr::tr("a number");
    case QJsonValue::String:
        return QStringLiteral("text");
    case QJsonValue::Array:
        return RunConfigTr::tr("a list");
    case QJsonValue::Object:
        return RunConfigTr::tr("an object");
    default:
        return QStringLiteral("null");
    }
}

// A whole number in [lo, hi] given as a number or as text (seeds are written as text
// so 64-bit values survive JSON).
bool wholeNumber(const QJsonValue& v, qint64 lo, qint64 hi, qint64* out) {
    bool ok = false;
    qint64 n = 0;
    if (v.isDouble()) {
        const double d = v.toDouble();
        ok = d == std::floor(d) && std::abs(d) < 9.0e15;
        n = ok ? static_cast<qint64>(d) : 0; // converting a larger double is undefined
    } else if (v.isString()) {
        n = v.toString().toLongLong(&ok);
    }
    if (!ok || n < lo || n > hi) {
        return false;
    }
    *out = n;
    return true;
}

void checkParams(const TaskInfo& info, const QJsonValue& value, QVariantMap* params,
                 QStringList* problems) {
    if (!value.isObject()) {
        *problems << RunConfigTr::tr("params: must be an object of name: value, not %1")
                         .arg(typeName(value));
        return;
    }
    const QJsonObject obj = value.toObject();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const ParamSpec* spec = nullptr;
        for (const auto& p : info.params) {
            if (QString::fromStdString(p.name) == it.key()) {
                spec = &p;
            }
        }
        if (!spec) {
            *problems << RunConfigTr::tr("params.%1: task %2 has no such parameter")
                             .arg(it.key(), QString::fromStdString(info.name));
            continue;
        }
        const QJsonValue v = it.value();
        if (spec->kind == ParamSpec::Kind::Choice) {
            QStringList choices;
            for (const auto& c : spec->choices) {
                choices << QString::fromStdString(c);
            }
            int index = v.isString() ? static_cast<int>(choices.indexOf(v.toString())) : -1;
            qint64 n = 0;
            if (index < 0 && v.isDouble() && wholeNumber(v, 0, choices.size() - 1, &n)) {
                index = static_cast<int>(n);
            }
            if (index < 0) {
                *problems << RunConfigTr::tr("params.%1: '%2' is not one of %3")
                                 .arg(it.key(), v.isString() ? v.toString() : typeName(v),
                                      choices.join(QStringLiteral(", ")));
                continue;
            }
            params->insert(it.key(), index);
            continue;
        }
        const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
        const bool whole = spec->kind != ParamSpec::Kind::Int || d == std::floor(d);
        if (!v.isDouble() || !whole || d < spec->minValue || d > spec->maxValue) {
            *problems << RunConfigTr::tr("params.%1: must be a %2 from %3 to %4, not %5")
                             .arg(it.key(), spec->kind == ParamSpec::Kind::Int
                                                ? RunConfigTr::tr("whole number")
                                                : QStringLiteral("number"))
                             .arg(spec->minValue)
                             .arg(spec->maxValue)
                             .arg(v.isDouble() ? QString::number(d) : typeName(v));
            continue;
        }
        params->insert(it.key(), d);
    }
}

void checkData(const QJsonValue& value, QJsonObject* data, QStringList* problems) {
    if (!value.isObject()) {
        *problems << RunConfigTr::tr("data: must be an object, not %1").arg(typeName(value));
        return;
    }
    const QJsonObject obj = value.toObject();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (!kDataKeys.contains(it.key())) {
            *problems << RunConfigTr::tr("data.%1: unknown key").arg(it.key());
        }
    }
    const QString source = obj.value(QStringLiteral("source")).toString();
    if (source != QLatin1String("demo") && source != QLatin1String("files") &&
        source != QLatin1String("videos") && source != QLatin1String("idx")) {
        *problems << RunConfigTr::tr("data.source: must be demo, files, videos or idx, not '%1'")
                         .arg(obj.value(QStringLiteral("source")).toVariant().toString());
    }
    if (source == QLatin1String("idx")) {
        const QJsonValue labels = obj.value(QStringLiteral("labels"));
        if (!labels.isString() || labels.toString().isEmpty()) {
            *problems << RunConfigTr::tr(
                "data.labels: must name the IDX data ('fashion-mnist' or a folder)");
        }
    } else if (source != QLatin1String("demo")) {
        const QJsonValue paths = obj.value(QStringLiteral("paths"));
        bool ok = paths.isArray() && !paths.toArray().isEmpty();
        for (const QJsonValue& p : paths.toArray()) {
            ok = ok && p.isString() && !p.toString().isEmpty();
        }
        if (!ok) {
            *problems << RunConfigTr::tr("data.paths: must be a list of file or folder paths");
        }
    }
    qint64 n = 0;
    const struct {
        const char* key;
        qint64 lo, hi;
    } ranges[] = {{"size_px", 16, 512},
                  {"stride", 1, 10000},
                  {"budget_mb", 1, 1 << 20},
                  {"max_megapixels", 1, 4000},
                  {"count", 1, 1 << 20},
                  {"demo_seed", 0, std::numeric_limits<qint64>::max()},
                  {"draw_seed", 0, std::numeric_limits<qint64>::max()}};
    for (const auto& r : ranges) {
        const QString key = QLatin1String(r.key);
        if (obj.contains(key) && !wholeNumber(obj.value(key), r.lo, r.hi, &n)) {
            *problems << RunConfigTr::tr("data.%1: must be a whole number from %2 to %3")
                             .arg(key)
                             .arg(r.lo)
                             .arg(r.hi);
        }
    }
    if (obj.contains(QStringLiteral("size_px")) &&
        wholeNumber(obj.value(QStringLiteral("size_px")), 16, 512, &n) && n % 8 != 0) {
        *problems << RunConfigTr::tr("data.size_px: must be a multiple of 8, not %1").arg(n);
    }
    *data = obj;
}

} // namespace

bool parseRunConfig(const QJsonObject& json, RunConfig* config, QString* error) {
    QStringList problems;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!kSettings.contains(it.key()) && !kInformational.contains(it.key())) {
            problems << RunConfigTr::tr("%1: unknown key").arg(it.key());
        }
    }
    RunConfig c;
    TrainSettings& s = c.settings;
    const QJsonValue task = json.value(QStringLiteral("task"));
    std::unique_ptr<Task> made =
        task.isString() ? makeTask(task.toString().toStdString()) : nullptr;
    if (!made) {
        QStringList names;
        for (const auto& n : taskNames()) {
            names << QString::fromStdString(n);
        }
        problems << RunConfigTr::tr("task: must be one of %1, not '%2'")
                        .arg(names.join(QStringLiteral(", ")),
                             task.isString() ? task.toString() : typeName(task));
    } else {
        s.task = task.toString();
        s.learningRate = made->info().learningRate;
        if (json.contains(QStringLiteral("params"))) {
            checkParams(made->info(), json.value(QStringLiteral("params")), &s.params, &problems);
        }
    }
    qint64 n = 0;
    if (json.contains(QStringLiteral("batch_size"))) {
        if (wholeNumber(json.value(QStringLiteral("batch_size")), 1, 4096, &n)) {
            s.batchSize = static_cast<int>(n);
        } else {
            problems << RunConfigTr::tr("batch_size: must be a whole number from 1 to 4096");
        }
    }
    if (json.contains(QStringLiteral("accumulate"))) {
        if (wholeNumber(json.value(QStringLiteral("accumulate")), 1, 4096, &n)) {
            s.accumulate = static_cast<int>(n);
        } else {
            problems << RunConfigTr::tr("accumulate: must be a whole number from 1 to 4096");
        }
    }
    if (json.contains(QStringLiteral("sync_bn"))) {
        if (json.value(QStringLiteral("sync_bn")).isBool()) {
            s.syncBatchNorm = json.value(QStringLiteral("sync_bn")).toBool();
        } else {
            problems << RunConfigTr::tr("sync_bn: must be true or false");
        }
    }
    if (json.contains(QStringLiteral("channels_last"))) {
        const QString v = json.value(QStringLiteral("channels_last")).toString();
        if (v == QLatin1String("auto") || v == QLatin1String("on") || v == QLatin1String("off")) {
            s.channelsLast = v;
        } else {
            problems << RunConfigTr::tr("channels_last: must be auto, on or off");
        }
    }
    if (json.contains(QStringLiteral("precision"))) {
        const QString p = json.value(QStringLiteral("precision")).toString();
        if (knownPrecision(p.toStdString())) {
            s.precision = p;
        } else {
            problems << RunConfigTr::tr("precision: must be fp32, bf16, fp16 or amp");
        }
    }
    if (json.contains(QStringLiteral("init_encoder"))) {
        const QJsonValue v = json.value(QStringLiteral("init_encoder"));
        if (v.isString()) {
            s.initEncoder = v.toString();
        } else {
            problems << RunConfigTr::tr("init_encoder: must be the path of a state dict file");
        }
    }
    if (json.contains(QStringLiteral("learning_rate"))) {
        const QJsonValue v = json.value(QStringLiteral("learning_rate"));
        if (v.isDouble() && v.toDouble() > 0 && v.toDouble() <= 10) {
            s.learningRate = v.toDouble();
        } else {
            problems << RunConfigTr::tr("learning_rate: must be a number above 0 and at most 10");
        }
    }
    if (json.contains(QStringLiteral("seed"))) {
        if (wholeNumber(json.value(QStringLiteral("seed")), 0, std::numeric_limits<qint64>::max(),
                        &n)) {
            s.seed = static_cast<quint64>(n);
        } else {
            problems << RunConfigTr::tr("seed: must be a whole number of at least 0");
        }
    }
    if (json.contains(QStringLiteral("max_steps"))) {
        if (wholeNumber(json.value(QStringLiteral("max_steps")), 0, 100'000'000, &n)) {
            s.maxSteps = n;
        } else {
            problems << RunConfigTr::tr(
                "max_steps: must be a whole number from 0 (until stopped) to 100000000");
        }
    }
    // A run's config.json records the device asked for and the one used; a hand-written
    // file may give "device" alone.
    const QString deviceKey = json.contains(QStringLiteral("device_requested"))
                                  ? QStringLiteral("device_requested")
                                  : QStringLiteral("device");
    if (json.contains(deviceKey)) {
        QString device = json.value(deviceKey).toString();
        if (device.startsWith(QLatin1String("cuda:"))) {
            device = QStringLiteral("cuda");
        }
        if (device != QLatin1String("auto") && device != QLatin1String("cpu") &&
            device != QLatin1String("cuda")) {
            problems << RunConfigTr::tr("%1: must be auto, cpu or cuda, not '%2'")
                            .arg(deviceKey, json.value(deviceKey).toVariant().toString());
        } else {
            s.device = device;
        }
    }
    if (json.contains(QStringLiteral("conv_route"))) {
        const QJsonValue v = json.value(QStringLiteral("conv_route"));
        if (v.isString() && parseRouteMode(v.toString().toStdString())) {
            s.convRoute = v.toString();
        } else {
            problems << RunConfigTr::tr("conv_route: must be auto, libtorch or fast, not '%1'")
                            .arg(v.isString() ? v.toString() : typeName(v));
        }
    }
    if (json.contains(QStringLiteral("augment"))) {
        const QJsonValue v = json.value(QStringLiteral("augment"));
        bool known = false;
        if (v.isString()) {
            augmentPreset(v.toString().toStdString(), &known);
        }
        if (v.isString() && (known || v.toString() == QLatin1String("auto"))) {
            s.augment = v.toString();
        } else {
            problems << RunConfigTr::tr(
                            "augment: must be auto, off, crop-flip or crop-flip-jitter, not "
                            "'%1'")
                            .arg(v.isString() ? v.toString() : typeName(v));
        }
    }
    if (json.contains(QStringLiteral("monitor"))) {
        const QJsonValue v = json.value(QStringLiteral("monitor"));
        if (v.isString()) {
            s.monitor = v.toString();
        } else {
            problems << RunConfigTr::tr(
                            "monitor: must be a string (fashion-mnist or a path), not %1")
                            .arg(typeName(v));
        }
    }
    if (json.contains(QStringLiteral("monitor_every"))) {
        const QJsonValue v = json.value(QStringLiteral("monitor_every"));
        if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 1e9 &&
            v.toDouble() == std::floor(v.toDouble())) {
            s.monitorEvery = v.toInt();
        } else {
            problems << RunConfigTr::tr("monitor_every: must be a whole number of steps, not %1")
                            .arg(v.isDouble() ? QString::number(v.toDouble()) : typeName(v));
        }
    }
    if (json.contains(QStringLiteral("monitor_stage"))) {
        const QJsonValue v = json.value(QStringLiteral("monitor_stage"));
        if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 64 &&
            v.toDouble() == std::floor(v.toDouble())) {
            s.monitorStage = v.toInt();
        } else {
            problems << RunConfigTr::tr(
                            "monitor_stage: must be a stage number (0: the last), not %1")
                            .arg(v.isDouble() ? QString::number(v.toDouble()) : typeName(v));
        }
    }
    if (json.contains(QStringLiteral("conv_routes"))) {
        const QJsonValue v = json.value(QStringLiteral("conv_routes"));
        if (!v.isObject()) {
            problems << RunConfigTr::tr("conv_routes: must be an object of layer: route, not %1")
                            .arg(typeName(v));
        } else {
            const QJsonObject routes = v.toObject();
            for (auto it = routes.begin(); it != routes.end(); ++it) {
                if (it.value().isString() && parseRoute(it.value().toString().toStdString())) {
                    s.convRoutes.insert(it.key(), it.value().toString());
                } else {
                    problems
                        << RunConfigTr::tr("conv_routes.%1: not a convolution route").arg(it.key());
                }
            }
        }
    }
    if (json.contains(QStringLiteral("data"))) {
        checkData(json.value(QStringLiteral("data")), &c.data, &problems);
    }
    if (!problems.isEmpty()) {
        *error = problems.join(QLatin1Char('\n'));
        return false;
    }
    *config = c;
    return true;
}

bool readRunConfig(const QString& path, RunConfig* config, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = RunConfigTr::tr("%1 could not be read: %2").arg(path, file.errorString());
        return false;
    }
    constexpr qint64 kMaxBytes = 16 << 20; // a config is a few hundred bytes
    if (file.size() > kMaxBytes) {
        *error = RunConfigTr::tr("%1 is %2 MB; a config is a small JSON file (at most 16 MB)")
                     .arg(path)
                     .arg(file.size() >> 20);
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(kMaxBytes), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = RunConfigTr::tr("%1 is not valid JSON: %2 at character %3")
                     .arg(path, parseError.errorString())
                     .arg(parseError.offset);
        return false;
    }
    if (!doc.isObject()) {
        *error = RunConfigTr::tr("%1: a config is a JSON object { ... }").arg(path);
        return false;
    }
    QString problems;
    if (!parseRunConfig(doc.object(), config, &problems)) {
        *error = QStringLiteral("%1:\n%2").arg(path, problems);
        return false;
    }
    return true;
}

bool readRunSettings(const QString& runDir, RunConfig* config, QString* error) {
    if (!QFileInfo(runDir).isDir()) {
        *error = RunConfigTr::tr("%1 does not exist or is not a folder")
                     .arg(QDir::toNativeSeparators(runDir));
        return false;
    }
    if (!QFileInfo::exists(QDir(runDir).filePath(runfiles::config))) {
        *error = RunConfigTr::tr("%1 is not a run folder: it holds no config.json")
                     .arg(QDir::toNativeSeparators(runDir));
        return false;
    }
    if (!readRunConfig(QDir(runDir).filePath(runfiles::config), config, error)) {
        return false;
    }
    if (config->data.isEmpty()) {
        *error =
            RunConfigTr::tr("%1: config.json does not say which data the run trained on (a run "
                            "of an older version); it cannot be resumed")
                .arg(QDir::toNativeSeparators(runDir));
        return false;
    }
    config->settings.runDir = runDir;
    return true;
}

QJsonObject runConfigJson(const TrainSettings& s, const QJsonObject& data) {
    QJsonObject params;
    const auto task = makeTask(s.task.toStdString());
    for (auto it = s.params.cbegin(); it != s.params.cend(); ++it) {
        const ParamSpec* spec = nullptr;
        if (task) {
            for (const auto& p : task->info().params) {
                if (QString::fromStdString(p.name) == it.key()) {
                    spec = &p;
                }
            }
        }
        const double v = it.value().toDouble();
        const auto index = static_cast<size_t>(v);
        if (spec && spec->kind == ParamSpec::Kind::Choice && index < spec->choices.size()) {
            params.insert(it.key(), QString::fromStdString(spec->choices[index]));
        } else {
            params.insert(it.key(), v);
        }
    }
    QJsonObject json{{"format", 2},
                     {"task", s.task},
                     {"params", params},
                     {"batch_size", s.batchSize},
                     {"learning_rate", s.learningRate},
                     {"seed", QString::number(s.seed)},
                     {"device_requested", s.device},
                     {"max_steps", s.maxSteps},
                     {"conv_route", s.convRoute},
                     {"augment", s.augment}};
    if (!s.convRoutes.isEmpty()) {
        json.insert(QStringLiteral("conv_routes"), QJsonObject::fromVariantMap(s.convRoutes));
    }
    if (s.syncBatchNorm) {
        json.insert(QStringLiteral("sync_bn"), true);
    }
    if (s.accumulate > 1) {
        json.insert(QStringLiteral("accumulate"), s.accumulate);
    }
    // --batch is per update and per process; the samples behind one update:
    json.insert(QStringLiteral("global_batch"), s.batchSize * s.accumulate);
    if (s.precision != QLatin1String("fp32")) {
        json.insert(QStringLiteral("precision"), s.precision);
    }
    if (s.channelsLast != QLatin1String("auto")) {
        json.insert(QStringLiteral("channels_last"), s.channelsLast);
    }
    if (!s.initEncoder.isEmpty()) {
        json.insert(QStringLiteral("init_encoder"), s.initEncoder);
    }
    if (!s.monitor.isEmpty()) {
        json.insert(QStringLiteral("monitor"), s.monitor);
        json.insert(QStringLiteral("monitor_every"), s.monitorEvery);
        json.insert(QStringLiteral("monitor_stage"), s.monitorStage);
    }
    if (!data.isEmpty()) {
        json.insert(QStringLiteral("data"), data);
    }
    return json;
}

} // namespace pretext
