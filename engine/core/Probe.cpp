#include "Probe.h"

#include "Rng.h"
#include "Trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

namespace pretext {

namespace F = torch::nn::functional;

namespace {
double accuracy(const torch::Tensor& logits, const torch::Tensor& labels) {
    return logits.argmax(1).eq(labels).to(torch::kFloat64).mean().item<double>();
}

struct Classifier {
    torch::Tensor weight, bias;
    torch::Tensor logits(const torch::Tensor& x) const { return torch::addmm(bias, x, weight); }
};

// Full-batch L-BFGS on cross-entropy + l2·|W|²: a convex problem, so the result does not
// depend on a learning-rate schedule or on the order of samples.
Classifier fit(const torch::Tensor& x, const torch::Tensor& y, int64_t classes, double l2,
               int iterations, const CancelToken& cancel) {
    Classifier c{torch::zeros({x.size(1), classes}).requires_grad_(),
                 torch::zeros({classes}).requires_grad_()};
    torch::optim::LBFGS solver({c.weight, c.bias}, torch::optim::LBFGSOptions(1.0)
                                                       .max_iter(iterations)
                                                       .history_size(20)
                                                       .line_search_fn("strong_wolfe"));
    auto closure = [&] {
        cancel.throwIfCancelled();
        torch::AutoGradMode enableGrad(true); // LBFGS::step calls it without gradients
        solver.zero_grad();
        auto loss = F::cross_entropy(c.logits(x), y) + l2 * c.weight.pow(2).sum();
        loss.backward();
        return loss;
    };
    solver.step(closure);
    c.weight = c.weight.detach();
    c.bias = c.bias.detach();
    return c;
}
} // namespace

ProbeFit fitLinearProbe(const torch::Tensor& trainXIn, const torch::Tensor& trainY,
                        const torch::Tensor& testXIn, const torch::Tensor& testY, int64_t classes,
                        const ProbeOptions& o) {
    torch::NoGradGuard outer; // features and labels need no graph; fit() builds its own
    const auto trainX64 = trainXIn.to(torch::kFloat32).flatten(1);
    const auto mean = trainX64.mean(0, true);
    const auto std = trainX64.std(0, true, true).clamp_min(1e-6);
    const auto trainX = (trainX64 - mean) / std;
    const auto testX = (testXIn.to(torch::kFloat32).flatten(1) - mean) / std;
    ProbeFit result;
    result.dims = trainX.size(1);
    const int64_t n = trainX.size(0);
    double bestL2 = o.l2Grid.empty() ? 0.0 : o.l2Grid.front();
    const int64_t nVal = static_cast<int64_t>(o.validationFraction * n);
    if (o.l2Grid.size() > 1 && nVal >= classes && n - nVal >= classes) {
        auto gen = makeGenerator(o.seed ^ 0x9A1DULL);
        const auto order = torch::randperm(n, gen, torch::kLong);
        const auto val = order.narrow(0, 0, nVal), fitIdx = order.narrow(0, nVal, n - nVal);
        double bestAcc = -1;
        for (const double l2 : o.l2Grid) {
            torch::AutoGradMode grad(true);
            const Classifier c = fit(trainX.index_select(0, fitIdx), trainY.index_select(0, fitIdx),
                                     classes, l2, o.iterations, o.cancel);
            const double acc =
                accuracy(c.logits(trainX.index_select(0, val)), trainY.index_select(0, val));
            if (acc >= bestAcc) { // ties: the stronger regularization
                bestAcc = acc;
                bestL2 = l2;
            }
        }
    }
    torch::AutoGradMode grad(true);
    const Classifier c = fit(trainX, trainY, classes, bestL2, o.iterations, o.cancel);
    torch::NoGradGuard noGrad;
    result.l2 = bestL2;
    result.trainAccuracy = accuracy(c.logits(trainX), trainY);
    result.testAccuracy = accuracy(c.logits(testX), testY);
    return result;
}

std::vector<torch::Tensor> encoderFeatures(TaskModelImpl& model, const Task& task,
                                           const ParamValues& params, const torch::Tensor& images,
                                           int64_t sizePx, const torch::Device& device,
                                           int64_t chunk, const CancelToken& cancel) {
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    auto encoder = model.encoder();
    std::vector<std::vector<torch::Tensor>> parts(encoder->stageCount());
    for (int64_t start = 0; start < images.size(0); start += chunk) {
        cancel.throwIfCancelled();
        auto x = images.narrow(0, start, std::min(chunk, images.size(0) - start))
                     .to(device, torch::kFloat32);
        if (x.size(2) != sizePx || x.size(3) != sizePx) {
            x = F::interpolate(x, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{sizePx, sizePx})
                                      .mode(torch::kBilinear)
                                      .align_corners(false))
                    .clamp(0.0, 1.0);
        }
        const auto stages = encoder->stageOutputs(task.probeInput(x, params));
        for (size_t s = 0; s < stages.size(); ++s) {
            parts[s].push_back(stages[s].mean({2, 3}).to(torch::kCPU));
        }
    }
    model.train(wasTraining);
    std::vector<torch::Tensor> features;
    for (auto& p : parts) {
        features.push_back(torch::cat(p));
    }
    return features;
}

torch::Tensor rawPixelFeatures(const torch::Tensor& images, int64_t maxSide) {
    auto x = images.to(torch::kFloat32);
    const bool gray = torch::allclose(x.select(1, 0), x.select(1, 1)) &&
                      torch::allclose(x.select(1, 0), x.select(1, 2));
    if (gray) {
        x = x.narrow(1, 0, 1);
    }
    if (x.size(2) > maxSide || x.size(3) > maxSide) {
        x = F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions({maxSide, maxSide}));
    }
    return x.flatten(1);
}

ProbeReport probeEncoder(TaskModelImpl& model, TaskModelImpl& randomModel, const Task& task,
                         const ParamValues& params, int64_t sizePx, const LabelledImages& train,
                         const LabelledImages& test, int64_t classes, const torch::Device& device,
                         const ProbeOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    ProbeReport report;
    report.classes = classes;
    auto probeStages = [&](TaskModelImpl& m, std::vector<ProbeFit>& into) {
        const auto trainF =
            encoderFeatures(m, task, params, train.images, sizePx, device, 256, options.cancel);
        const auto testF =
            encoderFeatures(m, task, params, test.images, sizePx, device, 256, options.cancel);
        for (size_t s = 0; s < trainF.size(); ++s) {
            into.push_back(
                fitLinearProbe(trainF[s], train.labels, testF[s], test.labels, classes, options));
        }
    };
    probeStages(model, report.stages);
    probeStages(randomModel, report.randomStages);
    report.rawPixels = fitLinearProbe(rawPixelFeatures(train.images), train.labels,
                                      rawPixelFeatures(test.images), test.labels, classes, options);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

std::string checkpointConfig(const std::string& bytes) {
    torch::serialize::InputArchive archive;
    openCheckpoint(archive, bytes, torch::kCPU);
    c10::IValue config;
    return archive.try_read("config", config) && config.isString() ? config.toStringRef()
                                                                   : std::string();
}

std::shared_ptr<TaskModelImpl> modelFromCheckpoint(const Task& task, const ParamValues& params,
                                                   const std::string& bytes, int64_t* step) {
    torch::serialize::InputArchive archive;
    openCheckpoint(archive, bytes, torch::kCPU, task.info().name);
    // Initialised only to be overwritten, but from the shared generator all the same.
    const auto model = [&] {
        const GlobalRngLock drawing;
        return task.makeModel(params);
    }();
    loadCheckpointModel(archive, *model, task.info().name);
    if (step != nullptr) {
        torch::Tensor s;
        *step = archive.try_read("step", s) ? s.item<int64_t>() : 0;
    }
    return model;
}

std::shared_ptr<TaskModelImpl> randomInitModel(const Task& task, const ParamValues& params,
                                               uint64_t seed) {
    const GlobalRngLock seeded(seed);
    return task.makeModel(params);
}

} // namespace pretext
