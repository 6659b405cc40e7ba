#pragma once
// Task parameter descriptions: plain C++ so that the UI can build option panels
// from them without seeing a torch header.
#include <map>
#include <string>
#include <vector>

namespace pretext {

// Values of a task's parameters by name. Choices are stored as their index.
using ParamValues = std::map<std::string, double>;

struct ParamSpec {
    enum class Kind { Int, Real, Choice };
    std::string name;  // key in ParamValues
    std::string label; // what the UI shows
    Kind kind = Kind::Real;
    double minValue = 0.0;
    double maxValue = 1.0;
    double defaultValue = 0.0;
    double step = 0.01;
    std::vector<std::string> choices; // Kind::Choice only
    std::string help;
    // Shown only when the parameter named `onlyWhen` has the value `onlyWhenValue`.
    std::string onlyWhen;
    double onlyWhenValue = 0.0;
    // A display choice (a decoding temperature): it changes what is shown, never what
    // is trained, so the live view offers it and may change it during or after a run.
    bool display = false;
};

struct TaskInfo {
    std::string name;  // registry key (Registry.h)
    std::string title; // e.g. "Inpainting"
    std::string lossFormula;
    double learningRate = 2e-3; // Adam rate that learns visibly without diverging
    std::vector<ParamSpec> params;
    // Metrics drawn in the second plot (training and held-out), and its title.
    std::vector<std::string> plottedMetrics;
    std::string metricPlotTitle;
    // Trains on windows of consecutive video frames (Task::windows), not on images.
    bool video = false;
    // The Math tab: what the task does, in a sentence or two of rich text; sentences
    // added for a loss form (LossForm.h's names, e.g. "soft-classes"); and the form
    // whose formulas are shown before any batch was inspected.
    std::string mathIntro;
    std::map<std::string, std::string> mathIntroByForm;
    std::string mathForm;
    // Capabilities the benchmark measures alongside this task (by name, e.g. "lab-color"
    // for the colour conversion against OpenCV's); empty for none.
    std::vector<std::string> benchPeers;
    // What the encoder's input is, for a person using the encoder elsewhere (export's
    // encoder.json): channels, range, normalisation, as probeInput makes it.
    std::string encoderInput;
    // Whether colour jitter may augment this task's images (not where colour is what the
    // task predicts: colorization).
    bool colourJitter = true;
};

// Defaults of every declared parameter, overridden by `given` where present.
inline ParamValues withDefaults(const TaskInfo& info, const ParamValues& given) {
    ParamValues out;
    for (const auto& p : info.params) {
        auto it = given.find(p.name);
        out[p.name] = it != given.end() ? it->second : p.defaultValue;
    }
    return out;
}

// Whether a parameter applies given the others' values (ParamSpec::onlyWhen); one
// whose controlling parameter is missing does not.
template <typename Lookup> bool paramApplies(const ParamSpec& spec, Lookup&& valueOf) {
    if (spec.onlyWhen.empty()) {
        return true;
    }
    double v = 0.0;
    return valueOf(spec.onlyWhen, v) && v == spec.onlyWhenValue;
}

inline bool isDisplayParam(const TaskInfo& info, const std::string& name) {
    for (const auto& p : info.params) {
        if (p.name == name) {
            return p.display;
        }
    }
    return false;
}

inline int choiceIndex(const ParamSpec& spec, const std::string& choice) {
    for (size_t i = 0; i < spec.choices.size(); ++i) {
        if (spec.choices[i] == choice) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

} // namespace pretext
