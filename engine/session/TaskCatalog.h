#pragma once
// The registered pretext tasks, described without torch types for the UI.
#include "Params.h"

#include <QString>
#include <QVariantMap>
#include <vector>

namespace pretext {

std::vector<TaskInfo> availableTasks();
// The task a new window or command starts with (the registry's first).
QString defaultTask();
// Parameter values as the UI and config.json carry them.
QVariantMap toVariantMap(const ParamValues& values);
ParamValues toParamValues(const QVariantMap& map);
// Parses "name=value" overrides; choices may be given by name ("mask=freeform").
// ParamSpec::onlyWhen against values as the UI holds them.
bool paramApplies(const ParamSpec& spec, const QVariantMap& values);
bool applyParamOverride(const TaskInfo& info, const QString& assignment, ParamValues& values,
                        QString* error);

} // namespace pretext
