#pragma once
// Which input pixels a prediction rests on, for any task: the objective L of a batch
// (the task's loss) against each row of the model's input. Two measures:
//  - gradient × input (Shrikumar et al. 2016; Simonyan et al. 2014's gradient, weighted by
//    the input): |Σ_c ∂L/∂x_c · x_c| per pixel, one backward pass;
//  - occlusion (Zeiler & Fergus 2014): the rise of L when a square patch of the row is
//    set to that row's per-channel mean, patch by patch; model-agnostic, no gradient, and
//    what a shortcut through one region shows at once;
//  - Grad-CAM (Selvaraju et al. 2017) at the encoder's last stage: ReLU(Σ_c α_c A_c),
//    α_c the spatial mean of ∂L/∂A_c, upsampled: where the features L rests on are.
// A row of the input is (C,H,W) for an image task, or (K,C,H,W) for K tiles (jigsaw) or
// frames (temporal order): the maps are then per tile or frame.
#include "Cancel.h"
#include "Models.h"

#include <torch/types.h>

#include <functional>

namespace pretext {

// The model, input rows to output rows (the output's first dimension is the input's).
using SaliencyForward = std::function<torch::Tensor(const torch::Tensor& input)>;
// The scalar objective of the whole batch's output.
using SaliencyObjective = std::function<torch::Tensor(const torch::Tensor& output)>;

// (rows, K, H, W) float, CPU: the first `rows` rows of `input`. K = 1 for (N,C,H,W) input.
torch::Tensor gradientTimesInput(const SaliencyForward& forward, const SaliencyObjective& objective,
                                 const torch::Tensor& input, int64_t rows);

struct OcclusionOptions {
    int64_t patch = 8;  // side of the occluding square, pixels
    int64_t stride = 4; // between patches
    int64_t chunk = 64; // occluded rows run through the model at once
    CancelToken cancel; // checked between chunks
};

// (rows, K, H, W) float, CPU: at each pixel, the mean rise of the objective over the
// patches that covered it (negative where hiding the pixel helped). Each occluded row is
// run through the model on its own, the others kept at their unoccluded output, so a row's
// map answers for that row alone.
torch::Tensor occlusionSaliency(const SaliencyForward& forward, const SaliencyObjective& objective,
                                const torch::Tensor& input, int64_t rows,
                                const OcclusionOptions& options = {});

// (rows, K, H, W) float, CPU, or an undefined tensor when the model's encoder does not
// see the input's rows (or their K tiles or frames) one to one. Positive only.
torch::Tensor gradCam(TaskModelImpl& model, const SaliencyObjective& objective,
                      const torch::Tensor& input, int64_t rows);

} // namespace pretext
