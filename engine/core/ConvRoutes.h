#pragma once
// Which route each convolution of a model takes (Layers.h), chosen the way cuDNN's
// benchmark mode chooses algorithms: at the start of a run every layer that the
// program's CPU routes can compute is timed, on its real input shape, by LibTorch's
// route and by each of the program's, and keeps the fastest. A layer's time alone does
// not always add up in the whole step (caches, memory traffic between layers), so the
// winners are then timed together against LibTorch's route for every layer, the whole
// model's forward and backward in alternating rounds, and kept only if they win there. The choice
// belongs to the model: it is stored in its layers, reported as a RoutePlan (logged, written to the
// run's config.json, shown in the status bar) and can be given back (resume) or forced.
#include "Layers.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pretext {

enum class RouteMode {
    Auto,     // measure each layer, keep the fastest
    LibTorch, // every layer by LibTorch's own kernels
    Fast,     // the program's route wherever one applies, unmeasured
};
std::string routeModeName(RouteMode mode);
std::optional<RouteMode> parseRouteMode(const std::string& name);

struct LayerRoute {
    std::string layer; // the module's path in the model, e.g. "encoder.layers.3"
    std::string input; // "32x64x16x16 NCHW"
    ConvRoute route = ConvRoute::LibTorch;
    // Forward and backward of the layer alone, median ms, per route timed (Auto only).
    std::vector<std::pair<ConvRoute, double>> timesMs;
};

struct RoutePlan {
    RouteMode mode = RouteMode::LibTorch;
    std::vector<LayerRoute> layers; // every routed layer the sample reached
    double tuningMs = 0.0;          // time spent measuring
    // Auto: the whole model's forward and backward with the layers' winners and with
    // LibTorch's route everywhere (medians), when any layer had a winner of ours.
    double stepMsChosen = 0.0;
    double stepMsLibTorch = 0.0;
    bool fellBack = false; // the winners lost in the whole step: LibTorch's everywhere
    std::string note;      // why no route was offered, when none was
    // layer -> route name, for config.json and for applyRoutes.
    std::map<std::string, std::string> routes() const;
    int fastLayers() const;
    // "auto: 7 of 12 layers by the program's routes (measured in 0.8 s)".
    std::string summary() const;
    // One line per layer: name, input, route, times.
    std::string table() const;
};

// Records each routed layer's input shape with one forward pass of `sample` (eval mode,
// no gradients; the model's mode is restored), then sets every layer's route by `mode`.
// On a device other than the CPU every layer takes LibTorch's route. Auto's measurements
// are remembered for the process, per layer geometry, input shape and thread count (as
// cuDNN's benchmark mode keeps its choices): the same shapes get the same routes.
RoutePlan chooseRoutes(torch::nn::Module& model,
                       const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                       const torch::Tensor& sample, RouteMode mode, int timedRuns = 3);

// Sets routes by layer name, as a RoutePlan's routes() gave them. Layers not named take
// LibTorch's route; a route this machine or build cannot run falls back to LibTorch's.
// Returns the plan as applied (mode Auto when the routes were measured before).
RoutePlan applyRoutes(torch::nn::Module& model, const std::map<std::string, std::string>& routes,
                      RouteMode recordedMode);

// Every layer of the model by LibTorch's route (what `--conv-route libtorch` runs).
void useLibTorchRoutes(torch::nn::Module& model);

} // namespace pretext
