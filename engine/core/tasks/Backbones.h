#pragma once
// The backbone choice every task offers (the small encoder or a ResNet, and a ResNet's
// stem), and the encoder options a task's parameters make.
#include "Models.h"
#include "Params.h"

#include <vector>

namespace pretext {

class Task;

// `backbone` and `stem`, appended to a task's parameters; `base_channels` (the small
// encoder's width) is then shown only for the small backbone.
void addBackboneParams(std::vector<ParamSpec>& params);

// Values of the `stem` choice.
enum class StemChoice { Auto = 0, SmallInput = 1, ImageNet = 2 };
// Below this encoder input size, in pixels, `auto` takes the small-input stem.
constexpr int64_t kSmallInputBelowPx = 96;

// The encoder the parameters ask for. An unresolved `auto` stem takes the small-input
// one (resolveStem says which, knowing the image size).
EncoderOptions encoderOptions(const ParamValues& params, int64_t inChannels,
                              int64_t defaultBaseChannels = 32);

// `params` with an `auto` stem made definite for images of imagePx (the encoder's own
// input, Task::encoderInputPx, decides: a jigsaw tile, a video frame).
ParamValues resolveStem(const Task& task, ParamValues params, int64_t imagePx);

} // namespace pretext
