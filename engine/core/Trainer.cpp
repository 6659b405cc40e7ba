#include "Trainer.h"

#include "DeviceInfo.h"
#include "Precision.h"
#include "Rng.h"
#include "StateDict.h"
#include "tasks/Backbones.h"
#include "tasks/Registry.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace pretext {

torch::Device resolveDevice(const std::string& choice) {
    if (choice == "cpu") {
        return torch::kCPU;
    }
    if (choice == "cuda" || choice.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available()) {
            throw TrainingError("device 'cuda' was asked for, but LibTorch sees no CUDA GPU "
                                "(this build or machine is CPU-only); use --device cpu or auto");
        }
        if (choice != "cuda") {
            const int index = std::atoi(choice.c_str() + 5);
            if (index < 0 || index >= static_cast<int>(torch::cuda::device_count())) {
                throw TrainingError("device '" + choice + "' was asked for, and LibTorch sees " +
                                    std::to_string(torch::cuda::device_count()) + " GPU(s)");
            }
            return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
        }
        return torch::kCUDA;
    }
    if (choice == "auto" || choice.empty()) {
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA)
                                           : torch::Device(torch::kCPU);
    }
    throw TrainingError("unknown device '" + choice + "' (expected auto, cpu or cuda)");
}

Trainer::Trainer(TrainConfig config, const torch::Tensor& images)
    : Trainer(std::move(config), images, nullptr) {}

Trainer::Trainer(TrainConfig config, const VideoFrames& video)
    : Trainer(std::move(config), video.frames, &video) {}

namespace {
TrainConfig withDefaultTask(TrainConfig config) {
    if (config.task.empty()) {
        config.task = defaultTaskName();
    }
    return config;
}
} // namespace

torch::Tensor Trainer::batchShapedInput() const {
    const auto& input = m_evalBatch.input;
    const int64_t perImage =
        std::max<int64_t>(1, input.size(0) / std::max<int64_t>(1, m_evalBatch.original.size(0)));
    const int64_t rows = m_config.batchSize * perImage;
    const auto pick = torch::arange(rows, torch::kLong).remainder(input.size(0));
    return input.index_select(0, pick.to(input.device()));
}

const RoutePlan& Trainer::chooseRoutes(RouteMode mode) {
    m_routePlan = pretext::chooseRoutes(
        *m_model, [this](const torch::Tensor& x) { return m_model->forward(x); },
        batchShapedInput(), mode);
    return m_routePlan;
}

Trainer::Trainer(TrainConfig config, const torch::Tensor& images, const VideoFrames* video)
    : m_config(withDefaultTask(std::move(config))), m_task(makeTask(m_config.task)),
      m_device(resolveDevice(m_config.device)) {
    if (!m_task) {
        throw TrainingError("unknown task '" + m_config.task + "'");
    }
    if (!images.defined() || images.dim() != 4 || images.size(0) == 0 || images.size(1) != 3) {
        throw TrainingError(m_task->info().video ? "no video frames to train on"
                                                 : "no images to train on");
    }
    if (m_config.batchSize < 1) {
        throw TrainingError("batch size must be at least 1");
    }
    m_config.params = withDefaults(m_task->info(), m_config.params);
    if (!m_task->info().colourJitter) {
        m_config.augment.jitter = 0.0;
    }

    torch::Tensor evalSamples;
    if (m_task->info().video) {
        if (!video || video->empty()) {
            throw TrainingError(m_task->info().title +
                                " trains on video frames, and still images are loaded: open a "
                                "video file, or load the demo set (it has a video)");
        }
        evalSamples = setUpWindows(*video, images);
    } else {
        evalSamples = setUpImages(images);
    }
    finishSetUp(evalSamples);
}

Trainer::Trainer(TrainConfig config, std::shared_ptr<SampleSource> source)
    : m_config(withDefaultTask(std::move(config))), m_task(makeTask(m_config.task)),
      m_device(resolveDevice(m_config.device)), m_source(std::move(source)) {
    if (!m_task) {
        throw TrainingError("unknown task '" + m_config.task + "'");
    }
    if (m_task->info().video) {
        throw TrainingError(m_task->info().title +
                            " trains on video frames, and still images are loaded: open a "
                            "video file, or load the demo set (it has a video)");
    }
    if (!m_source || m_source->trainCount() == 0) {
        throw TrainingError("no images to train on");
    }
    if (m_config.batchSize < 1) {
        throw TrainingError("batch size must be at least 1");
    }
    m_config.params = withDefaults(m_task->info(), m_config.params);
    if (!m_task->info().colourJitter) {
        m_config.augment.jitter = 0.0;
    }
    m_source->setAugment(m_config.augment, m_config.seed);
    // The task looks at a spread of the set (a streamed set is never whole in memory):
    // every training image when there are up to 512 of them, and then what it cannot use
    // (colorization: grayscale images) never reaches a batch; in a larger set it is
    // judged from the spread, and every image is used.
    const int64_t count = m_source->trainCount();
    const torch::Tensor spread = m_source->spread(512);
    m_stats = m_task->analyze(spread);
    m_mean = spread.mean({0, 2, 3});
    if (m_stats && m_stats->usable.defined() && spread.size(0) == count) {
        m_sourceIndex = m_stats->usable.to(torch::kCPU).nonzero().flatten().contiguous();
    }
    m_usableImages = m_sourceIndex.defined() ? m_sourceIndex.size(0) : count;
    if (m_usableImages == 0) {
        throw TrainingError("no image is usable for " + m_config.task + ": " + m_stats->note);
    }
    torch::Tensor evalSamples = m_source->heldOut();
    if (evalSamples.size(0) == 0) {
        evalSamples = spread.narrow(0, 0, std::min<int64_t>(spread.size(0), 128));
    }
    if (m_stats && m_stats->usable.defined()) {
        // The held-out images' own usability (the spread's mask is over other images).
        evalSamples = selectUsable(evalSamples, m_task->analyze(evalSamples).get());
    }
    if (evalSamples.size(0) == 0) {
        throw TrainingError("no image is usable for " + m_config.task + ": " +
                            (m_stats ? m_stats->note : std::string("none given")));
    }
    finishSetUp(evalSamples);
}

void Trainer::finishSetUp(const torch::Tensor& evalSamples) {
    m_context.params = m_config.params;
    m_context.channelMean = m_mean;
    m_context.seed = m_config.seed;
    m_context.stats = m_stats;
    // Held-out batches get their own streams so their masks and puzzles stay fixed.
    BatchContext evalContext{m_config.params, makeGenerator(m_config.seed ^ 0xE7A1ULL), m_mean,
                             m_config.seed, m_stats};
    m_evalBatch = m_task->makeBatch(evalSamples.to(m_device), evalContext);
    // The samples shown: the first held-out images, or windows spread over the held-out
    // part (neighbouring windows share frames and would look alike).
    const int64_t shown = std::min<int64_t>(m_config.heldOutCount, evalSamples.size(0));
    auto pick = m_windowLength > 0
                    ? torch::linspace(0, static_cast<double>(evalSamples.size(0) - 1), shown)
                          .round()
                          .to(torch::kLong)
                    : torch::arange(shown, torch::kLong);
    BatchContext heldContext{m_config.params, makeGenerator(m_config.seed ^ 0x5EEDF00DULL), m_mean,
                             m_config.seed, m_stats};
    m_heldOut = m_task->makeBatch(
        evalSamples.index_select(0, pick.to(evalSamples.device())).to(m_device), heldContext);
    m_context.generator = makeGenerator(m_config.seed);
    m_orderGenerator = m_context.generator;

    {
        // A ResNet's automatic stem follows the size of what its encoder sees.
        m_config.params = resolveStem(*m_task, m_config.params, evalSamples.size(-1));
        const GlobalRngLock seeded(m_config.seed); // weight initialization
        m_model = m_task->makeModel(m_config.params);
    }
    if (!m_config.initEncoder.empty()) {
        std::vector<std::string> notes;
        try {
            loadEncoderState(*m_model->encoder(), loadStateDict(m_config.initEncoder, &notes),
                             m_config.initEncoder);
        } catch (const StateDictError& e) {
            throw TrainingError(std::string("the encoder cannot start from ") + e.what());
        }
    }
    if (m_config.accumulate < 1) {
        throw TrainingError("accumulate must be at least 1, not " +
                            std::to_string(m_config.accumulate));
    }
    try {
        m_config.precision = resolvePrecision(m_config.precision, m_device);
    } catch (const std::invalid_argument& e) {
        throw TrainingError(e.what());
    }
    if (m_config.precision == "fp16" || m_config.lossScaling) {
        m_scaler = std::make_unique<LossScaler>();
    }
    m_model->to(m_device);
    applyMemoryLayout();
    const auto mode = parseRouteMode(m_config.convRoute);
    if (!mode) {
        throw TrainingError("unknown convolution route '" + m_config.convRoute +
                            "' (auto, libtorch or fast)");
    }
    if (m_config.convRoutes.empty()) {
        chooseRoutes(*mode);
    } else {
        m_routePlan = applyRoutes(*m_model, m_config.convRoutes, *mode);
    }
    const torch::optim::AdamOptions adam(m_config.learningRate);
    if (m_config.perTensorAdam) {
        m_optimizer = std::make_unique<torch::optim::Adam>(m_model->parameters(), adam);
    } else {
        auto multi = std::make_unique<MultiTensorAdam>(m_model->parameters(), adam);
        m_multiTensorAdam = multi.get();
        m_optimizer = std::move(multi);
    }
}

namespace {
bool isOutOfMemory(const std::exception& e) {
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e) != nullptr ||
        dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
        return true;
    }
    // CPU allocations that fail are plain c10::Errors in some LibTorch versions.
    const auto* c10 = dynamic_cast<const c10::Error*>(&e);
    const std::string message = c10 ? c10->what_without_backtrace() : std::string();
    return message.find("out of memory") != std::string::npos ||
           message.find("not enough memory") != std::string::npos;
}
} // namespace

StepResult Trainer::step() {
    const torch::Tensor indices = nextIndices();
    try {
        return trainOnIndices(indices);
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e)) {
            throw;
        }
        if (m_comm) { // the other ranks cannot halve their share in step with this one
            throw TrainingError("training stopped: out of memory at step " +
                                std::to_string(m_step + 1) + " on " + m_device.str() + " (rank " +
                                std::to_string(m_comm->rank()) +
                                "); lower the batch size or the image size");
        }
    }
    // The batch, its activations and its partial gradients went out of scope with the
    // exception; LibTorch's caching allocator hands their blocks to the next
    // allocations (it frees its cache itself before it reports out of memory again).
    clearGradients();
    const int64_t step = m_step + 1;
    const int64_t before = indices.size(0);
    const int64_t half = before / 2;
    const std::string where = " at step " + std::to_string(step) + " on " + m_device.str();
    if (half < 1) {
        throw TrainingError("training stopped: out of memory" + where +
                            " with a batch of 1; use a smaller image size or train on the CPU");
    }
    try {
        StepResult r = trainOnIndices(indices.narrow(0, 0, half));
        m_config.batchSize = half;
        r.note = "out of memory" + where + " with a batch of " + std::to_string(before) +
                 "; the step was done again with half the batch (" + std::to_string(half) +
                 "), and the batch stays at " + std::to_string(half) + " from here";
        return r;
    } catch (const std::exception& e) {
        if (!isOutOfMemory(e)) {
            throw;
        }
    }
    clearGradients();
    throw TrainingError("training stopped: out of memory" + where + " with a batch of " +
                        std::to_string(before) + ", and again with half of it (" +
                        std::to_string(half) +
                        "); lower the batch size or the image size, or train on the CPU");
}

StepResult Trainer::trainOnIndices(const torch::Tensor& indices) {
    return trainOn(m_task->makeBatch(samples(indices), m_context));
}

Batch Trainer::nextBatch() {
    return m_task->makeBatch(samples(nextIndices()), m_context);
}

namespace {
// The step was not applied when `applied` is false (trainOn checks before the update).
void checkFinite(double loss, int64_t step, double learningRate, bool applied) {
    if (std::isfinite(loss)) {
        return;
    }
    std::ostringstream m;
    m << "training stopped at step " << step << ": the loss became "
      << (std::isnan(loss) ? "NaN" : "infinite")
      << (applied ? ""
                  : "; the step was not applied, so the model is as it was after the step before")
      << ". Lower the learning rate (now " << learningRate << "; try " << learningRate / 10 << ").";
    throw NonFiniteError(m.str(), step, learningRate);
}

std::string injectedFault(int64_t step) {
    return "injected fault (a test switch) at step " + std::to_string(step);
}
} // namespace

StepResult Trainer::trainOn(const Batch& batch) {
    const auto start = std::chrono::steady_clock::now();
    const int64_t step = m_step + 1;
    const FaultInjection& faults = m_config.faults;
    m_model->train();
    m_lastBatch = batch;
    beginDistributedStep();
    auto output = forward(batch.input);
    const int64_t inspectSample = m_inspectSample;
    if (inspectSample >= 0 && output.requires_grad()) {
        output.retain_grad(); // autograd's ∂L/∂output, checked against the closed form
    }
    if (faults.rankFaultAtStep == step && m_comm && m_comm->rank() == faults.faultyRank) {
        if (faults.rankHangs) {
            std::this_thread::sleep_for(std::chrono::hours(24)); // until the others give up
        }
        std::raise(SIGKILL); // as a crash or the OOM killer would end it: no goodbye
    }
    if (faults.outOfMemoryAtStep == step && m_oomInjected < faults.oomAttempts) {
        ++m_oomInjected; // after the forward pass, when the activations hold memory
        throw c10::OutOfMemoryError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                                    "out of memory (" + injectedFault(step) + ")");
    }
    LossOutput lo = m_task->loss(output, batch, m_config.params);
    if (faults.nanLossAtStep == step) {
        lo.loss = lo.loss * std::nan("");
    }
    double lossValue = lo.loss.item<double>();
    if (m_comm) { // every rank judges the same mean, so all stop together on a NaN
        averageOverRanks(&lossValue, &lo.metrics);
    }
    checkFinite(lossValue, step, m_config.learningRate, false);
    StepResult r;
    const double scaleUsed = m_scaler ? m_scaler->scale() : 0.0;
    applyGradients(lo.loss, true, &r);
    if (m_scaler) {
        lo.metrics["loss_scale"] = scaleUsed;
    }
    if (const auto memory = takePeakMemory(m_device)) {
        lo.metrics["gpu_peak_mb"] = memory->peakAllocatedMb;
        lo.metrics["gpu_reserved_mb"] = memory->reservedMb;
    }
    if (m_accumulatedLoss.defined()) { // the mean over the accumulated batches
        lossValue = m_accumulatedLoss.item<double>();
        if (m_comm) {
            averageOverRanks(&lossValue, nullptr);
        }
        checkFinite(lossValue, step, m_config.learningRate, true);
    }
    if (inspectSample >= 0 && output.grad().defined()) {
        m_inspection =
            inspectGradient(*m_task, output, output.grad(), batch, m_config.params, inspectSample);
        m_inspection->step = m_step;
        m_inspectSample = -1;
    }
    r.step = m_step;
    r.loss = lossValue;
    r.metrics = std::move(lo.metrics);
    r.stepMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
}

void Trainer::trainQuietly(const Batch& batch) {
    m_model->train();
    beginDistributedStep();
    auto loss = m_task->objective(forward(batch.input), batch, m_config.params);
    applyGradients(loss);
    m_lastLoss = m_accumulatedLoss.defined() ? m_accumulatedLoss : loss.detach();
}

void Trainer::clearGradients() {
    if (m_multiTensorAdam != nullptr) {
        m_multiTensorAdam->clearGradients();
    } else {
        m_optimizer->zero_grad();
    }
}

void Trainer::applyMemoryLayout() {
    std::string& layout = m_config.channelsLast;
    if (layout == "auto") {
        layout = m_device.is_cuda() && m_config.precision != "fp32" ? "on" : "task";
    }
    if (layout == "off") {
        m_model->encoder()->setChannelsLast(false);
    } else if (layout == "on") {
        torch::NoGradGuard noGrad;
        for (auto& t : m_model->parameters()) {
            if (t.dim() == 4) {
                t.set_data(t.data().contiguous(at::MemoryFormat::ChannelsLast));
            }
        }
    } else if (layout != "task") {
        throw TrainingError("channels-last must be auto, on or off, not '" + layout + "'");
    }
}

torch::Tensor Trainer::forward(const torch::Tensor& input) {
    const AutocastScope autocast(m_config.precision, m_device);
    auto output = m_model->forward(m_config.channelsLast == "on" && input.dim() == 4
                                       ? input.contiguous(at::MemoryFormat::ChannelsLast)
                                       : input);
    return output.is_floating_point() && output.scalar_type() != torch::kFloat
               ? output.to(torch::kFloat) // the loss in float32
               : output;
}

void Trainer::applyGradients(const torch::Tensor& loss, bool checked, StepResult* result) {
    clearGradients();
    m_accumulatedLoss = torch::Tensor();
    const int64_t k = m_config.accumulate;
    if (m_sync) {
        m_sync->begin(static_cast<int>(k));
        m_sync->beforeBackward();
    }
    // Each batch's loss divided by k (and multiplied by the loss scale, if any).
    auto backward = [this, k](const torch::Tensor& l) {
        torch::Tensor t = k > 1 ? l / static_cast<double>(k) : l;
        if (m_scaler) {
            t = m_scaler->scaled(t);
        }
        t.backward();
    };
    backward(loss);
    if (k > 1) {
        // Each batch's gradient added as it comes, so one batch's activations live at a time.
        torch::Tensor sum = loss.detach();
        for (int64_t i = 1; i < k; ++i) {
            const Batch more = nextBatch();
            auto l = m_task->objective(forward(more.input), more, m_config.params);
            if (m_sync) {
                m_sync->beforeBackward();
            }
            backward(l);
            sum = sum + l.detach();
        }
        m_accumulatedLoss = sum / static_cast<double>(k);
    }
    if (m_sync) {
        m_comm->setStep(m_step + 1);
        m_sync->finish(); // every rank now holds the same averaged gradients
    }
    if (m_scaler) {
        if (!unscaleGradients(result)) {
            ++m_step; // the batch was seen; its update is skipped
            return;
        }
    } else if (checked) {
        checkGradients();
    }
    std::vector<torch::Tensor> before;
    if (result != nullptr && (m_recordLayerNorms || m_measureUpdates)) {
        if (m_layers.names.empty()) {
            m_layers = groupByLayer(*m_model);
        }
        if (m_recordLayerNorms) {
            result->layerGradientNorms = layerGradientNorms(m_layers);
        }
        if (m_measureUpdates) {
            before = copyParameters(m_layers);
        }
    }
    m_optimizer->step();
    ++m_step;
    if (!before.empty()) {
        std::tie(result->updateNorm, result->parameterNorm) = updateSize(m_layers, before);
    }
}

std::vector<std::string> Trainer::layerNames() {
    if (m_layers.names.empty()) {
        m_layers = groupByLayer(*m_model);
    }
    return m_layers.weightedNames();
}

std::optional<GradientInspection> Trainer::takeInspection() {
    auto out = std::move(m_inspection);
    m_inspection.reset();
    return out;
}

StepResult Trainer::replayLastBatch() {
    if (!m_lastBatch.input.defined()) {
        throw TrainingError("no batch to replay yet: take one step first");
    }
    const Batch batch = m_lastBatch;
    return trainOn(batch);
}

void Trainer::injectGradientFault() {
    auto params = m_model->parameters();
    if (m_config.faults.nanGradientAtStep == m_step + 1 && !params.empty() &&
        params.front().grad().defined()) {
        params.front().mutable_grad().fill_(std::nan(""));
    }
}

bool Trainer::unscaleGradients(StepResult* result) {
    injectGradientFault();
    const double scale = m_scaler->scale();
    // After the all-reduce every rank holds the same sums, so all skip alike.
    const bool finite = m_scaler->unscale(m_model->parameters());
    if (m_scaler->update(finite)) {
        return true;
    }
    const int64_t step = m_step + 1;
    if (m_scaler->diverged()) {
        std::ostringstream m;
        m << "training stopped at step " << step << ": the gradients overflowed in "
          << m_scaler->skippedInARow() << " steps in a row although the loss scale fell to "
          << scale
          << ", so the model diverged rather than float16's range being too small. The "
             "model is as it was after step "
          << step - m_scaler->skippedInARow() << ". Lower the learning rate (now "
          << m_config.learningRate << "; try " << m_config.learningRate / 10
          << "), or train in bf16 or fp32.";
        throw NonFiniteError(m.str(), step, m_config.learningRate);
    }
    if (result != nullptr) {
        std::ostringstream m;
        m << "step " << step << "'s gradients overflowed at loss scale " << scale
          << ": its update was skipped and the scale lowered to " << m_scaler->scale() << " ("
          << m_scaler->skippedTotal() << " skipped so far)";
        result->note = m.str();
        result->updateSkipped = true;
    }
    return false;
}

void Trainer::checkGradients() {
    const int64_t step = m_step + 1;
    injectGradientFault();
    auto params = m_model->parameters();
    // One read-back for all of them; names are looked up only when one is bad.
    std::vector<torch::Tensor> finite;
    for (const auto& p : params) {
        if (p.grad().defined()) {
            finite.push_back(torch::isfinite(p.grad()).all());
        }
    }
    if (finite.empty() || torch::stack(finite).all().item<bool>()) {
        return;
    }
    for (const auto& item : m_model->named_parameters()) {
        const torch::Tensor& g = item.value().grad();
        if (!g.defined() || torch::isfinite(g).all().item<bool>()) {
            continue;
        }
        std::ostringstream m;
        m << "training stopped at step " << step << ": the gradient of " << item.key() << " became "
          << (torch::isnan(g).any().item<bool>() ? "NaN" : "infinite")
          << " while the loss was finite; the step was not applied, so the model is as it was "
             "after the step before. Lower the learning rate (now "
          << m_config.learningRate << "; try " << m_config.learningRate / 10 << ").";
        throw NonFiniteError(m.str(), step, m_config.learningRate);
    }
}

double Trainer::lastLoss() {
    if (!m_lastLoss.defined()) {
        return std::nan("");
    }
    double value = m_lastLoss.item<double>();
    if (m_comm) {
        averageOverRanks(&value, nullptr);
    }
    checkFinite(value, m_step, m_config.learningRate, true);
    return value;
}

std::vector<VisualColumn> Trainer::heldOutResults() {
    torch::NoGradGuard noGrad;
    m_model->eval();
    m_lastHeldOutOutput = m_model->forward(m_heldOut.input).to(torch::kCPU);
    return m_task->resultColumns(m_heldOut, m_lastHeldOutOutput, m_config.params);
}

void Trainer::setDisplayParam(const std::string& name, double value) {
    if (isDisplayParam(m_task->info(), name)) {
        m_config.params[name] = value;
        m_context.params[name] = value;
        return;
    }
    throw TrainingError("'" + name + "' is not a display parameter of " + m_config.task);
}

Evaluation Trainer::evaluate() {
    torch::NoGradGuard noGrad;
    m_model->eval();
    // The forward pass in chunks of a training batch's size: up to 128 held-out samples at
    // once would hold four times a step's activations at the peak (eval mode: no sample
    // depends on another, so the outputs are those of one pass).
    const torch::Tensor& input = m_evalBatch.input;
    const int64_t samples = std::max<int64_t>(1, m_evalBatch.original.size(0));
    const int64_t rowsPerSample = input.size(0) % samples == 0 ? input.size(0) / samples : 0;
    torch::Tensor output;
    if (rowsPerSample == 0 || samples <= m_config.batchSize) {
        output = m_model->forward(input);
    } else {
        std::vector<torch::Tensor> parts;
        const int64_t chunk = m_config.batchSize * rowsPerSample;
        for (int64_t start = 0; start < input.size(0); start += chunk) {
            parts.push_back(
                m_model->forward(input.narrow(0, start, std::min(chunk, input.size(0) - start))));
        }
        output = torch::cat(parts);
    }
    LossOutput lo = m_task->loss(output, m_evalBatch, m_config.params);
    return {lo.loss.item<double>(),      std::move(lo.metrics),
            std::move(lo.histogram),     std::move(lo.histogramTitle),
            std::move(lo.histogramAxis), std::move(lo.histogramLabels)};
}

void Trainer::setLearningRate(double lr) {
    m_config.learningRate = lr;
    for (auto& group : m_optimizer->param_groups()) {
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
}

} // namespace pretext
