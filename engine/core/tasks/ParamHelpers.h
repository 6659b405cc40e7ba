#pragma once
// Small helpers for tasks declaring and reading their parameters.
#include "Params.h"

#include <cmath>

namespace pretext {

inline ParamSpec spec(const char* name, const char* label, ParamSpec::Kind kind, double lo,
                      double hi, double def, double step, const char* help,
                      const char* onlyWhen = "", double onlyWhenValue = 0) {
    ParamSpec p;
    p.name = name;
    p.label = label;
    p.kind = kind;
    p.minValue = lo;
    p.maxValue = hi;
    p.defaultValue = def;
    p.step = step;
    p.help = help;
    p.onlyWhen = onlyWhen;
    p.onlyWhenValue = onlyWhenValue;
    return p;
}

inline ParamSpec choiceSpec(const char* name, const char* label, std::vector<std::string> choices,
                            int def, const char* help) {
    ParamSpec p = spec(name, label, ParamSpec::Kind::Choice, 0,
                       static_cast<double>(choices.size()) - 1, def, 1, help);
    p.choices = std::move(choices);
    return p;
}

inline double value(const ParamValues& params, const char* name, double fallback) {
    auto it = params.find(name);
    return it != params.end() ? it->second : fallback;
}

inline int intValue(const ParamValues& params, const char* name, int fallback) {
    return static_cast<int>(std::lround(value(params, name, fallback)));
}

} // namespace pretext
