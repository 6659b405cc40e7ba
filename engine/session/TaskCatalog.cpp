#include "TaskCatalog.h"

#include "tasks/Registry.h"

namespace pretext {

std::vector<TaskInfo> availableTasks() {
    return taskInfos();
}

QString defaultTask() {
    return QString::fromStdString(defaultTaskName());
}

QVariantMap toVariantMap(const ParamValues& values) {
    QVariantMap map;
    for (const auto& [name, value] : values) {
        map.insert(QString::fromStdString(name), value);
    }
    return map;
}

ParamValues toParamValues(const QVariantMap& map) {
    ParamValues values;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        values[it.key().toStdString()] = it.value().toDouble();
    }
    return values;
}

bool paramApplies(const ParamSpec& spec, const QVariantMap& values) {
    return paramApplies(spec, [&values](const std::string& name, double& v) {
        const QString key = QString::fromStdString(name);
        v = values.value(key).toDouble();
        return values.contains(key);
    });
}

bool applyParamOverride(const TaskInfo& info, const QString& assignment, ParamValues& values,
                        QString* error) {
    const int eq = assignment.indexOf(QLatin1Char('='));
    const QString name = assignment.left(eq).trimmed();
    const QString text = eq < 0 ? QString() : assignment.mid(eq + 1).trimmed();
    for (const auto& spec : info.params) {
        if (QString::fromStdString(spec.name) != name) {
            continue;
        }
        if (spec.kind == ParamSpec::Kind::Choice) {
            const int index = choiceIndex(spec, text.toStdString());
            if (index < 0) {
                QStringList choices;
                for (const auto& c : spec.choices) {
                    choices << QString::fromStdString(c);
                }
                *error = QStringLiteral("'%1' is not a choice of %2 (choose %3)")
                             .arg(text, name, choices.join(QStringLiteral(", ")));
                return false;
            }
            values[spec.name] = index;
            return true;
        }
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || v < spec.minValue || v > spec.maxValue) {
            *error = QStringLiteral("%1 must be a number from %2 to %3, not '%4'")
                         .arg(name)
                         .arg(spec.minValue)
                         .arg(spec.maxValue)
                         .arg(text);
            return false;
        }
        values[spec.name] = v;
        return true;
    }
    *error = QStringLiteral("task %1 has no parameter '%2'")
                 .arg(QString::fromStdString(info.name), name);
    return false;
}

} // namespace pretext
