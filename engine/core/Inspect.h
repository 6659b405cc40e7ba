#pragma once
// The seed's math next to the running model: the closed-form derivative of each
// task's loss with respect to the model output, checked against autograd on a real
// batch, the live numbers of that batch (|M|, p(true permutation), −log p), and the
// size of gradients and updates per layer.
#include "tasks/Task.h"

#include <string>
#include <vector>

namespace pretext {

// The closed form of ∂L/∂output for the task's loss on this batch (Task::closedForm);
// reads `output` only.
ClosedForm closedFormGradient(const Task& task, const torch::Tensor& output, const Batch& batch,
                              const ParamValues& params);

// One entry of the output, with both derivatives (a few are shown next to the formula).
struct GradientEntry {
    std::string where; // e.g. "c1 (12,30)"
    double predicted = 0.0;
    double target = 0.0;
    double autograd = 0.0;
    double closedForm = 0.0;
};

// What one batch shows about the loss and its gradient.
struct GradientInspection {
    std::string task;
    LossForm form = LossForm::None;
    int64_t step = 0; // the step the batch was trained at (0: not trained on)
    double loss = 0.0;
    double count = 0.0;            // ClosedForm::count
    int64_t rows = 0;              // samples in the batch (rows of the output)
    int64_t sample = 0;            // the sample shown
    double maxAbsDifference = 0.0; // max |autograd − closed form| over every entry
    double maxAbsGradient = 0.0;   // max |∂L/∂output|, for scale
    // Image forms: the task's result columns for the sample ((3,H,W) each, CPU) and
    // Σ_c |∂L/∂x̂| for it (H',W'), CPU.
    std::vector<VisualColumn> columns;
    torch::Tensor gradientMap;
    std::vector<GradientEntry> entries;
    // Class forms, for the sample: probabilities (classes; for Positions the probability
    // of the true tile at each position), the true class, labels; p and −log p of the
    // truth for the sample and averaged over the batch.
    std::vector<double> probabilities;
    std::vector<std::string> labels;
    int64_t trueClass = -1;
    std::string truthCaption; // e.g. the true permutation
    double trueProbability = 0.0;
    double negLogTrue = 0.0;
    double meanTrueProbability = 0.0;
    double meanNegLogTrue = 0.0;
};

// Compares `autogradGradient` (∂L/∂output as autograd computed it) with the closed form
// and gathers the numbers above. `output` and the gradient may be on any device.
GradientInspection inspectGradient(const Task& task, const torch::Tensor& output,
                                   const torch::Tensor& autogradGradient, const Batch& batch,
                                   const ParamValues& params, int64_t sample);
// The same for a model on a batch, without touching the parameters' gradients: one
// forward pass in the model's current mode and autograd's ∂L/∂output.
GradientInspection inspectBatch(const Task& task, TaskModelImpl& model, const Batch& batch,
                                const ParamValues& params, int64_t sample);

// The batch's loss for the model as it is now, as training computes it (train mode,
// batch statistics), without gradients and without moving the running statistics.
double batchLoss(const Task& task, TaskModelImpl& model, const Batch& batch,
                 const ParamValues& params);

// Parameters grouped by layer (the name without its last part: "encoder.layers.0").
// `weighted` marks the layers with a weight matrix or kernel (convolutions, linear
// maps): the ones whose gradient norms are plotted; normalisation layers' scales and
// shifts count in the update size only.
struct LayerGroups {
    std::vector<std::string> names;
    std::vector<std::vector<torch::Tensor>> parameters;
    std::vector<bool> weighted;
    std::vector<std::string> weightedNames() const;
};
LayerGroups groupByLayer(torch::nn::Module& model);
// ‖∂L/∂θ‖₂ of every weighted layer, one read-back for all; 0 for one without gradients.
std::vector<double> layerGradientNorms(const LayerGroups& layers);
// The parameters' values, to measure an update against.
std::vector<torch::Tensor> copyParameters(const LayerGroups& layers);
// ‖θ_after − θ_before‖₂ over all parameters (weighted layers or not), and ‖θ_before‖₂.
std::pair<double, double> updateSize(const LayerGroups& layers,
                                     const std::vector<torch::Tensor>& before);

} // namespace pretext
