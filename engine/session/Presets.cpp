#include "Presets.h"

#include "TaskCatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace pretext {

namespace {

struct Loaded {
    QList<Preset> presets;
    QList<ShortcutDiagnostic> diagnostics;
    QString error;
};

// One task folder's presets.json (engine/core/tasks/<task>/presets.json).
void loadFile(const QString& path, Loaded& out) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error += QStringLiteral("%1 could not be read\n").arg(path);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (doc.isNull()) {
        out.error += QStringLiteral("%1: %2\n").arg(path, parseError.errorString());
        return;
    }
    for (const QJsonValue& v : doc.object().value(QStringLiteral("presets")).toArray()) {
        const QJsonObject o = v.toObject();
        Preset p;
        p.id = o.value(QStringLiteral("id")).toString();
        p.title = o.value(QStringLiteral("title")).toString();
        p.description = o.value(QStringLiteral("description")).toString();
        p.classroom = o.value(QStringLiteral("classroom")).toBool(false);
        QString error;
        if (!parseRunConfig(o.value(QStringLiteral("config")).toObject(), &p.config, &error)) {
            out.error += QStringLiteral("preset %1: %2\n").arg(p.id, error);
            continue;
        }
        out.presets << p;
    }
    for (const QJsonValue& v : doc.object().value(QStringLiteral("diagnostics")).toArray()) {
        const QJsonObject o = v.toObject();
        ShortcutDiagnostic d;
        d.id = o.value(QStringLiteral("id")).toString();
        d.title = o.value(QStringLiteral("title")).toString();
        d.explain = o.value(QStringLiteral("explain")).toString();
        d.switchName = o.value(QStringLiteral("switch")).toString();
        const QJsonObject base = o.value(QStringLiteral("base")).toObject();
        bool ok = true;
        for (const QJsonValue& variant : o.value(QStringLiteral("variants")).toArray()) {
            QJsonObject json = base;
            QJsonObject params = json.value(QStringLiteral("params")).toObject();
            params.insert(d.switchName, variant.toObject().value(QStringLiteral("value")));
            json.insert(QStringLiteral("params"), params);
            RunConfig config;
            QString error;
            if (!parseRunConfig(json, &config, &error)) {
                out.error += QStringLiteral("diagnostic %1: %2\n").arg(d.id, error);
                ok = false;
                break;
            }
            d.labels << variant.toObject().value(QStringLiteral("label")).toString();
            d.variants << config;
        }
        if (ok) {
            out.diagnostics << d;
        }
    }
}

// Every task's presets, in the registry's order of tasks (each file's own order within).
Loaded load() {
    Loaded out;
    const QStringList files = QDir(QStringLiteral(":/presets"))
                                  .entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (files.isEmpty()) {
        out.error = QStringLiteral("the built-in presets are missing from the program");
        return out;
    }
    for (const QString& name : files) {
        loadFile(QStringLiteral(":/presets/") + name, out);
    }
    QStringList order;
    for (const auto& info : availableTasks()) {
        order << QString::fromStdString(info.name);
    }
    auto rank = [&](const QString& task) {
        const int i = static_cast<int>(order.indexOf(task));
        return i < 0 ? static_cast<int>(order.size()) : i;
    };
    std::stable_sort(out.presets.begin(), out.presets.end(), [&](const Preset& a, const Preset& b) {
        return rank(a.config.settings.task) < rank(b.config.settings.task);
    });
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(),
                     [&](const ShortcutDiagnostic& a, const ShortcutDiagnostic& b) {
                         const QString ta =
                             a.variants.isEmpty() ? QString() : a.variants.front().settings.task;
                         const QString tb =
                             b.variants.isEmpty() ? QString() : b.variants.front().settings.task;
                         return rank(ta) < rank(tb);
                     });
    return out;
}

const Loaded& loaded() {
    static const Loaded once = load();
    return once;
}

} // namespace

const QList<Preset>& builtInPresets(QString* error) {
    if (error) {
        *error = loaded().error;
    }
    return loaded().presets;
}

const QList<ShortcutDiagnostic>& builtInDiagnostics(QString* error) {
    if (error) {
        *error = loaded().error;
    }
    return loaded().diagnostics;
}

const ShortcutDiagnostic* findDiagnostic(const QString& id) {
    for (const ShortcutDiagnostic& d : loaded().diagnostics) {
        if (d.id == id) {
            return &d;
        }
    }
    return nullptr;
}

QList<Preset> presetsFor(const QString& task) {
    QList<Preset> out;
    for (const Preset& p : builtInPresets()) {
        if (p.config.settings.task == task) {
            out << p;
        }
    }
    return out;
}

const Preset* findPreset(const QString& id) {
    for (const Preset& p : builtInPresets()) {
        if (p.id == id) {
            return &p;
        }
    }
    return nullptr;
}

} // namespace pretext
