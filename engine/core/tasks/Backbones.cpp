#include "tasks/Backbones.h"

#include "tasks/ParamHelpers.h"
#include "tasks/Task.h"

namespace pretext {

void addBackboneParams(std::vector<ParamSpec>& params) {
    for (auto& p : params) {
        if (p.name == "base_channels") {
            p.onlyWhen = "backbone";
            p.onlyWhenValue = static_cast<double>(Backbone::Small);
        }
    }
    params.push_back(choiceSpec(
        "backbone", "Backbone", backboneNames(), 0,
        "The encoder: the program's small three-stage network, or a ResNet as torchvision "
        "builds it (same parameter names, so `export` gives a torchvision state dict)"));
    params.push_back(
        choiceSpec("stem", "ResNet stem", {"auto", "small-input", "imagenet"}, 0,
                   "A ResNet's first layers: a 3x3 stride-1 convolution without max-pool for "
                   "small images, or torchvision's 7x7 stride-2 convolution and max-pool; auto "
                   "takes the small-input stem below 96 px of encoder input (a jigsaw tile, a "
                   "video frame)"));
}

EncoderOptions encoderOptions(const ParamValues& params, int64_t inChannels,
                              int64_t defaultBaseChannels) {
    EncoderOptions options;
    options.inChannels = inChannels;
    options.baseChannels = intValue(params, "base_channels", static_cast<int>(defaultBaseChannels));
    const int backbone = intValue(params, "backbone", 0);
    if (backbone < 0 || backbone >= static_cast<int>(backboneNames().size())) {
        throw std::invalid_argument("backbone " + std::to_string(backbone) + " does not exist");
    }
    options.backbone = static_cast<Backbone>(backbone);
    options.smallInputStem = intValue(params, "stem", 0) != static_cast<int>(StemChoice::ImageNet);
    return options;
}

ParamValues resolveStem(const Task& task, ParamValues params, int64_t imagePx) {
    auto stem = params.find("stem");
    if (stem == params.end() || stem->second != static_cast<double>(StemChoice::Auto)) {
        return params;
    }
    const int64_t encoderPx = task.encoderInputPx(imagePx, params);
    stem->second = static_cast<double>(encoderPx < kSmallInputBelowPx ? StemChoice::SmallInput
                                                                      : StemChoice::ImageNet);
    return params;
}

} // namespace pretext
