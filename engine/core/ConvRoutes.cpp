#include "ConvRoutes.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <mutex>
#include <sstream>

namespace pretext {

namespace {
struct ModeName {
    RouteMode mode;
    const char* name;
};
constexpr ModeName kModeNames[] = {
    {RouteMode::Auto, "auto"},
    {RouteMode::LibTorch, "libtorch"},
    {RouteMode::Fast, "fast"},
};

std::vector<std::pair<std::string, RoutedLayer*>> routedLayers(torch::nn::Module& model) {
    std::vector<std::pair<std::string, RoutedLayer*>> layers;
    for (const auto& item : model.named_modules()) {
        if (auto* layer = dynamic_cast<RoutedLayer*>(item.value().get())) {
            layers.emplace_back(item.key(), layer);
        }
    }
    return layers;
}

std::string describeInput(const std::vector<int64_t>& shape, bool channelsLast) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i) {
        text += (i ? "x" : "") + std::to_string(shape[i]);
    }
    return text + (channelsLast ? " NHWC" : " NCHW");
}

// A stand-in input of the recorded shape and layout (values do not change the time of
// these float kernels; no random generator is touched).
torch::Tensor standIn(const RoutedLayer& layer, const torch::TensorOptions& options) {
    auto x = torch::full(layer.lastInputShape(), 0.25, options);
    if (layer.lastInputChannelsLast()) {
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
    }
    return x;
}

// Median ms of forward and backward of `layer` by `route`, on copies of its parameters.
double timeRoute(const RoutedLayer& layer, ConvRoute route, const torch::Tensor& input,
                 int timedRuns) {
    const auto w = layer.layerWeight().detach().clone().requires_grad_(true);
    const auto bias = layer.layerBias();
    const auto b = bias.defined() ? bias.detach().clone().requires_grad_(true) : torch::Tensor();
    const auto x = input.detach().requires_grad_(true);
    std::vector<double> times;
    for (int run = 0; run <= timedRuns; ++run) { // the first run warms up
        const auto start = std::chrono::steady_clock::now();
        auto y = layer.forwardBy(route, x, w, b);
        y.backward(torch::ones_like(y));
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        if (run > 0) {
            times.push_back(took.count());
        }
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// Measurements already made in this process, by what decides a layer's cost (its
// geometry, parameter shapes, input shape and layout, the routes offered, the threads):
// as cuDNN's benchmark mode keeps its choices, so that two models of the same shapes in
// one process (a straight run and a resumed one, a test's two trainers) agree, and the
// second does not pay for the timing again.
struct Measured {
    ConvRoute route;
    std::vector<std::pair<ConvRoute, double>> timesMs;
};
std::mutex g_measuredLock;
std::map<std::string, Measured>& measured() {
    static std::map<std::string, Measured> m;
    return m;
}

// Whole-step checks already made: median ms with the winners and with LibTorch's route.
std::map<std::string, std::pair<double, double>>& measuredSteps() {
    static std::map<std::string, std::pair<double, double>> m;
    return m;
}

std::string measurementKey(const RoutedLayer& layer, const std::vector<ConvRoute>& offered) {
    std::string key = layer.geometryKey() + " w";
    for (const auto size : layer.layerWeight().sizes()) {
        key += std::to_string(size) + ",";
    }
    key += layer.layerBias().defined() ? " b" : " nob";
    key += " x" + describeInput(layer.lastInputShape(), layer.lastInputChannelsLast());
    for (const auto route : offered) {
        key += " " + routeName(route);
    }
    return key + " t" + std::to_string(at::get_num_threads());
}

void recordShapes(torch::nn::Module& model,
                  const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                  const torch::Tensor& sample) {
    const bool training = model.is_training();
    model.eval();
    {
        torch::NoGradGuard noGrad;
        forward(sample);
    }
    model.train(training);
}
} // namespace

std::string routeModeName(RouteMode mode) {
    for (const auto& e : kModeNames) {
        if (e.mode == mode) {
            return e.name;
        }
    }
    return "auto";
}

std::optional<RouteMode> parseRouteMode(const std::string& name) {
    for (const auto& e : kModeNames) {
        if (name == e.name) {
            return e.mode;
        }
    }
    return std::nullopt;
}

std::map<std::string, std::string> RoutePlan::routes() const {
    std::map<std::string, std::string> out;
    for (const auto& l : layers) {
        out[l.layer] = routeName(l.route);
    }
    return out;
}

int RoutePlan::fastLayers() const {
    return static_cast<int>(std::count_if(layers.begin(), layers.end(), [](const LayerRoute& l) {
        return l.route != ConvRoute::LibTorch;
    }));
}

std::string RoutePlan::summary() const {
    std::ostringstream out;
    out << routeModeName(mode) << ": " << fastLayers() << " of " << layers.size()
        << " layers by the program's routes";
    if (tuningMs > 0) {
        out << std::fixed << std::setprecision(1) << " (measured in " << tuningMs / 1000.0 << " s";
        if (stepMsLibTorch > 0) {
            out << std::setprecision(2) << "; whole step " << stepMsLibTorch / stepMsChosen
                << "x LibTorch's with the layers' winners"
                << (fellBack ? ", so LibTorch's everywhere" : "");
        }
        out << ")";
    }
    if (!note.empty()) {
        out << "; " << note;
    }
    return out.str();
}

std::string RoutePlan::table() const {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2);
    for (const auto& l : layers) {
        out << "  " << std::left << std::setw(22) << l.layer << std::setw(20) << l.input
            << std::setw(21) << routeName(l.route);
        for (const auto& [route, ms] : l.timesMs) {
            out << ' ' << routeName(route) << ' ' << ms << " ms";
        }
        out << '\n';
    }
    return out.str();
}

namespace {
// The layers' winners against LibTorch's route everywhere, in the whole model's forward
// and backward on the sample (training mode; the batch-norm statistics and the
// gradients it leaves are put back as they were), alternating, a warm-up round first. The winners
// are kept only if the step is at least 2% faster with them; remembered per plan.
void checkTheWholeStep(torch::nn::Module& model,
                       const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                       const torch::Tensor& sample,
                       const std::vector<std::pair<std::string, RoutedLayer*>>& layers,
                       RoutePlan& plan, int timedRuns) {
    std::string key = "step";
    for (const auto& [name, layer] : layers) {
        if (!layer->lastInputShape().empty()) {
            key += " | " +
                   measurementKey(*layer, layer->fastRoutes(standIn(*layer, sample.options()))) +
                   " -> " + routeName(layer->route());
        }
    }
    std::lock_guard<std::mutex> guard(g_measuredLock);
    auto known = measuredSteps().find(key);
    if (known == measuredSteps().end()) {
        const auto chosen = plan.routes();
        auto setRoutes = [&](bool ours) {
            for (auto& [name, layer] : layers) {
                const auto it = chosen.find(name);
                layer->setRoute(ours && it != chosen.end() ? *parseRoute(it->second)
                                                           : ConvRoute::LibTorch);
            }
        };
        // In training mode, as the step runs (batch statistics), the running statistics
        // put back afterwards.
        const bool training = model.is_training();
        std::vector<torch::Tensor> buffers;
        {
            torch::NoGradGuard noGrad;
            for (const auto& b : model.buffers()) {
                buffers.push_back(b.detach().clone());
            }
        }
        model.train();
        torch::AutoGradMode gradOn(true);
        auto once = [&] {
            const auto t0 = std::chrono::steady_clock::now();
            const auto y = forward(sample);
            y.backward(torch::ones_like(y));
            const std::chrono::duration<double, std::milli> took =
                std::chrono::steady_clock::now() - t0;
            return took.count();
        };
        std::vector<double> ours, theirs;
        int rounds = timedRuns;
        for (int round = 0; round <= rounds; ++round) { // round 0 warms both up
            setRoutes(true);
            const double a = once();
            setRoutes(false);
            const double b = once();
            if (round > 0) {
                ours.push_back(a);
                theirs.push_back(b);
            } else if (std::max(a, b) > 1000.0) {
                rounds = 1; // a step of seconds (a ResNet): one timed round, not minutes
            }
        }
        for (auto& p : model.parameters()) {
            p.mutable_grad().reset();
        }
        {
            torch::NoGradGuard noGrad;
            size_t i = 0;
            for (auto& b : model.buffers()) {
                b.copy_(buffers[i++]);
            }
        }
        model.train(training);
        setRoutes(true);
        std::sort(ours.begin(), ours.end());
        std::sort(theirs.begin(), theirs.end());
        known = measuredSteps()
                    .emplace(key, std::make_pair(ours[ours.size() / 2], theirs[theirs.size() / 2]))
                    .first;
    }
    plan.stepMsChosen = known->second.first;
    plan.stepMsLibTorch = known->second.second;
    if (plan.stepMsChosen > 0.98 * plan.stepMsLibTorch) {
        plan.fellBack = true;
        for (auto& [name, layer] : layers) {
            layer->setRoute(ConvRoute::LibTorch);
        }
        for (auto& l : plan.layers) {
            l.route = ConvRoute::LibTorch;
        }
    }
}
} // namespace

RoutePlan chooseRoutes(torch::nn::Module& model,
                       const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                       const torch::Tensor& sample, RouteMode mode, int timedRuns) {
    const auto start = std::chrono::steady_clock::now();
    RoutePlan plan;
    plan.mode = mode;
    auto layers = routedLayers(model);
    for (auto& [name, layer] : layers) {
        layer->setRoute(ConvRoute::LibTorch);
    }
    recordShapes(model, forward, sample);
    if (!sample.device().is_cpu()) {
        plan.note = "the program's routes are for the CPU";
    } else if (!kernelsBuilt()) {
        plan.note = "built without the program's routes";
    } else if (!winogradOnThisCpu()) {
        plan.note = "no AVX2 and FMA here: Winograd's route not offered";
    }
    for (auto& [name, layer] : layers) {
        if (layer->lastInputShape().empty()) {
            continue; // not reached by this model's forward pass
        }
        LayerRoute choice;
        choice.layer = name;
        choice.input = describeInput(layer->lastInputShape(), layer->lastInputChannelsLast());
        const auto input = standIn(*layer, sample.options());
        const auto offered = layer->fastRoutes(input);
        if (mode == RouteMode::Fast && !offered.empty()) {
            choice.route = offered.front();
        } else if (mode == RouteMode::Auto && !offered.empty()) {
            const std::string key = measurementKey(*layer, offered);
            std::lock_guard<std::mutex> guard(g_measuredLock);
            auto known = measured().find(key);
            if (known == measured().end()) {
                torch::AutoGradMode gradOn(true);
                Measured m{ConvRoute::LibTorch, {}};
                double best = timeRoute(*layer, ConvRoute::LibTorch, input, timedRuns);
                m.timesMs.emplace_back(ConvRoute::LibTorch, best);
                for (const auto route : offered) {
                    const double ms = timeRoute(*layer, route, input, timedRuns);
                    m.timesMs.emplace_back(route, ms);
                    if (ms < best) {
                        best = ms;
                        m.route = route;
                    }
                }
                known = measured().emplace(key, m).first;
            }
            choice.route = known->second.route;
            choice.timesMs = known->second.timesMs;
        }
        layer->setRoute(choice.route);
        plan.layers.push_back(choice);
    }
    if (mode == RouteMode::Auto && plan.fastLayers() > 0) {
        checkTheWholeStep(model, forward, sample, layers, plan, timedRuns);
    }
    if (mode == RouteMode::Auto) {
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        plan.tuningMs = took.count();
    }
    return plan;
}

RoutePlan applyRoutes(torch::nn::Module& model, const std::map<std::string, std::string>& routes,
                      RouteMode recordedMode) {
    RoutePlan plan;
    plan.mode = recordedMode;
    int unavailable = 0;
    for (auto& [name, layer] : routedLayers(model)) {
        LayerRoute choice;
        choice.layer = name;
        const auto it = routes.find(name);
        if (it != routes.end()) {
            const auto route = parseRoute(it->second);
            const bool runnable = route && (*route == ConvRoute::LibTorch || kernelsBuilt()) &&
                                  (*route != ConvRoute::Winograd || winogradOnThisCpu());
            if (runnable) {
                choice.route = *route;
            } else {
                ++unavailable;
            }
        }
        layer->setRoute(choice.route);
        if (it != routes.end()) {
            plan.layers.push_back(choice);
        }
    }
    if (unavailable > 0) {
        plan.note = std::to_string(unavailable) +
                    " recorded routes cannot run here and take LibTorch's instead";
    }
    return plan;
}

void useLibTorchRoutes(torch::nn::Module& model) {
    for (auto& [name, layer] : routedLayers(model)) {
        layer->setRoute(ConvRoute::LibTorch);
    }
}

} // namespace pretext
