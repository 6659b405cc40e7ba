#pragma once
// The closed form of a task's loss derivative, as far as the teaching views need it
// (Inspect.h checks it against autograd). Common forms are computed from the batch's
// structure by genericClosedForm; a task whose loss is its own (inpainting's masked
// MSE) says so itself through Task::closedForm.
#include "Params.h"

#include <torch/types.h>

namespace pretext {

struct Batch;

// The form of a task's loss, as far as its derivative is concerned.
enum class LossForm {
    None,        // no closed form known (the Math tab then shows the task's text alone)
    MaskedMse,   // (1/|M|) Σ_M w (x̂ − x)², w a weight (1 = the seed's inpainting loss)
    Mse,         // (1/HWC) Σ (x̂ − x)² over the batch
    SoftClasses, // −(1/N) Σ_pixels v Σ_q z_q log softmax(ẑ)_q
    Classes,     // cross-entropy over class indices, mean over rows
    Positions,   // one softmax per position, −Σ_i log p_i(π_i), mean over samples
    Binary,      // binary cross-entropy on one logit per sample, mean
};
const char* lossFormName(LossForm form);

struct ClosedForm {
    LossForm form = LossForm::None;
    torch::Tensor gradient; // ∂L/∂output, the output's shape; undefined for None
    double count = 0.0;     // the normaliser: Σw = |M| (entries), B·H·W·C, rows, pixels
};

// The forms a batch's structure tells: Binary when it carries "positions" (verify
// variants), Positions for (B, n, n) outputs with "perms", Classes for (B, K) outputs of
// integer targets; None otherwise. `output` is float, on any device, without gradient.
ClosedForm genericClosedForm(const torch::Tensor& output, const Batch& batch);
// The (1/Σw) Σ w (x̂ − x)² form for a weight w of the output's shape, and plain MSE.
ClosedForm maskedMseClosedForm(const torch::Tensor& output, const torch::Tensor& target,
                               const torch::Tensor& weight);
ClosedForm mseClosedForm(const torch::Tensor& output, const torch::Tensor& target);

} // namespace pretext
