#pragma once
// Named presets per task: a run config (the format of config.json) with a title and
// what it reproduces; one per task is a classroom demonstration, tuned so that
// learning shows within a minute on a laptop CPU. Built in (resources/presets/).
#include "RunConfig.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pretext {

struct Preset {
    QString id; // "jigsaw-noroozi"
    QString title;
    QString description; // what it reproduces, with the paper
    bool classroom = false;
    RunConfig config; // settings; config.data may name the demo set at a size
};

// Side-by-side runs that differ in one switch (gaps between jigsaw tiles, the motion
// filter, ...), to see a network take a shortcut when it can.
struct ShortcutDiagnostic {
    QString id; // "jigsaw-gaps"
    QString title;
    QString explain;           // what the papers say, and what to look for
    QString switchName;        // the parameter that differs
    QStringList labels;        // one per variant
    QList<RunConfig> variants; // the base settings with the switch set
};

// Every built-in preset, in the file's order; parsed strictly once (a broken built-in
// file is a programming error, reported in *error for the tests).
const QList<Preset>& builtInPresets(QString* error = nullptr);
QList<Preset> presetsFor(const QString& task);
// Null when there is no preset with that id.
const Preset* findPreset(const QString& id);
const QList<ShortcutDiagnostic>& builtInDiagnostics(QString* error = nullptr);
const ShortcutDiagnostic* findDiagnostic(const QString& id);

} // namespace pretext
