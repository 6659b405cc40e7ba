#pragma once
// Display strings from the engine's plain-C++ catalog (task titles, option labels, help
// and choices, loss formulas, plot and column titles) and from the built-in presets,
// looked up in the installed translator under a context of their own: the engine core
// has no Qt, so these are translated where they are shown. ui/EngineStrings.cpp lists
// every one of them for lupdate (test_strings fails when it is out of date, and writes
// the current list with PRETEXT_UPDATE_STRINGS=1).
#include <QCoreApplication>
#include <QString>

#include <string>

namespace pretext {

inline constexpr const char* kTaskTextContext = "TaskText";
inline constexpr const char* kPresetTextContext = "Presets";
inline constexpr const char* kMetricTextContext = "Metric";

inline QString taskText(const std::string& text) {
    return text.empty() ? QString() : QCoreApplication::translate(kTaskTextContext, text.c_str());
}

inline QString presetText(const QString& text) {
    return text.isEmpty()
               ? QString()
               : QCoreApplication::translate(kPresetTextContext, text.toUtf8().constData());
}

// A metrics.csv column as shown: "heldout_tile_accuracy" is "held-out tile accuracy".
inline QString metricText(const QString& column) {
    if (column.startsWith(QLatin1String("heldout_"))) {
        return QCoreApplication::translate("Metric", "held-out %1").arg(metricText(column.mid(8)));
    }
    return QCoreApplication::translate(
        kMetricTextContext,
        QString(column).replace(QLatin1Char('_'), QLatin1Char(' ')).toUtf8().constData());
}

} // namespace pretext
