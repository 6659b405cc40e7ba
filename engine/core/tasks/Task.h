#pragma once
// One pretext task behind one small interface: generate the pretext input and
// target from unlabeled images, build the model, compute the seed's loss, and
// say what to show. The UI discovers tasks from the registry (Registry.h).
#include "Models.h"
#include "Params.h"
#include "Video.h"
#include "tasks/LossForm.h"

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pretext {

// What a task learned about the whole loaded set before any batch is made: which
// images it can use (colorization skips grayscale ones) and set-level statistics
// (colorization's ab histogram). Computed once per data set, then shared read-only.
struct DataStats {
    torch::Tensor usable; // (N) bool, or undefined when every image is usable
    std::map<std::string, torch::Tensor> tensors;
    std::string note; // one line for the data panel, e.g. how many were skipped
    int64_t usableCount(int64_t total) const {
        return usable.defined() ? usable.sum().item<int64_t>() : total;
    }
};

// The images a task trains on: all of them, or those `stats` marks usable.
torch::Tensor selectUsable(const torch::Tensor& images, const DataStats* stats);

struct BatchContext {
    ParamValues params;                     // complete (withDefaults applied)
    at::Generator generator;                // CPU generator; every random choice comes from it
    torch::Tensor channelMean;              // (3) data-set mean, for fills that need it
    uint64_t seed = 0;                      // the run's seed, for choices fixed for a whole run
    std::shared_ptr<const DataStats> stats; // from Task::analyze, may be null
};

struct Batch {
    torch::Tensor original;                      // (B,3,H,W) clean images in [0,1]
    torch::Tensor input;                         // what the network sees
    torch::Tensor target;                        // what it must produce (images, or class indices)
    torch::Tensor mask;                          // inpainting's m: 1 visible, 0 hidden (B,1,H,W)
    std::map<std::string, torch::Tensor> extras; // other task-specific tensors
    Batch to(const torch::Device& device) const;
};

struct LossOutput {
    torch::Tensor loss;                    // scalar, differentiable
    std::map<std::string, double> metrics; // extra figures for the curves
    // Optional counts per bin (e.g. samples by Hamming distance of the error).
    std::vector<double> histogram;
    std::string histogramTitle;               // what is counted, e.g. "held-out puzzles"
    std::string histogramAxis;                // what the bins are, e.g. "tiles out of place"
    std::vector<std::string> histogramLabels; // one per bin, or empty (bins numbered from 0)
};

// A titled column of images, (B,3,H,W) float in [0,1] on the CPU, with optional
// overlays that the session draws on top: per-sample captions, and for a
// gridN x gridN tiling, a number per cell and cells marked as wrong.
struct VisualColumn {
    std::string title;
    torch::Tensor images;
    std::vector<std::string> captions; // empty, or one per sample
    int gridN = 0;
    // When > 0 the image is a strip of this many square cells side by side (video
    // frames); cellLabels and cellWrong then number them left to right.
    int stripCells = 0;
    torch::Tensor cellLabels; // (B, cells) int64, or undefined
    torch::Tensor cellWrong;  // (B, cells) bool, or undefined
};

// A set-level picture beside the per-sample columns (e.g. the data's ab histogram).
struct Figure {
    std::string title;
    torch::Tensor image; // (3,H,W) float in [0,1], CPU
    std::string caption;
};

class Task {
public:
    virtual ~Task() = default;
    virtual const TaskInfo& info() const = 0;
    // `images` are (B,3,H,W) in [0,1] on any device; the batch is on the same device.
    // A video task (TaskInfo::video) gets clips instead: (B, L, 3, H, W), L consecutive
    // frames as its windows() asks.
    virtual Batch makeBatch(const torch::Tensor& images, BatchContext& context) const = 0;
    virtual std::shared_ptr<TaskModelImpl> makeModel(const ParamValues& params) const = 0;
    virtual LossOutput loss(const torch::Tensor& output, const Batch& batch,
                            const ParamValues& params) const = 0;
    // The loss alone, without the metrics: nothing is read back to the host, so a
    // step that does not report can queue all its work on the device.
    virtual torch::Tensor objective(const torch::Tensor& output, const Batch& batch,
                                    const ParamValues& params) const {
        return loss(output, batch, params).loss;
    }
    // What the model's encoder sees for whole, unaltered images (B,3,H,W) in [0,1]: the
    // linear probe's input. By default the images themselves.
    virtual torch::Tensor probeInput(const torch::Tensor& images,
                                     const ParamValues& /*params*/) const {
        return images;
    }
    // What the preview shows before any model exists.
    virtual std::vector<VisualColumn> previewColumns(const Batch& batch) const = 0;
    // What the live reconstruction panel shows for a model output. `params` may hold
    // display choices (a decoding temperature) changed after training began.
    virtual std::vector<VisualColumn> resultColumns(const Batch& batch, const torch::Tensor& output,
                                                    const ParamValues& params) const = 0;
    // Looks at the whole loaded set once (N,3,H,W); null when the task needs nothing.
    virtual std::shared_ptr<const DataStats> analyze(const torch::Tensor& /*images*/) const {
        return nullptr;
    }
    // Set-level pictures for the preview, drawn from analyze()'s statistics.
    virtual std::vector<Figure> dataFigures(const DataStats& /*stats*/,
                                            const ParamValues& /*params*/) const {
        return {};
    }
    // The size, in pixels, of what the encoder sees for images of imagePx (a jigsaw tile,
    // a video frame): it decides a ResNet's automatic stem (tasks/Backbones.h).
    virtual int64_t encoderInputPx(int64_t imagePx, const ParamValues& /*params*/) const {
        return imagePx;
    }
    // A video task's windows for these parameters (length 0 for an image task).
    virtual WindowSpec windows(const ParamValues& /*params*/) const { return {}; }
    // One line about the generated data for these parameters (e.g. a permutation
    // set's Hamming distances); empty when there is nothing to say.
    virtual std::string describe(const ParamValues& /*params*/, uint64_t /*seed*/) const {
        return {};
    }
    // ∂L/∂output in closed form, for the Math and Gradients tabs (checked there against
    // autograd). By default the form the batch's structure tells (LossForm.h); a task
    // with a loss of its own computes it here. `output` is detached, float.
    virtual ClosedForm closedForm(const torch::Tensor& output, const Batch& batch,
                                  const ParamValues& /*params*/) const {
        return genericClosedForm(output, batch);
    }
    // Names of a classification output's classes (the Gradients tab's bars): by default a
    // permutation table's rows when the batch has one ("table" or "class_orders"),
    // else the class numbers.
    virtual std::vector<std::string> classLabels(const Batch& batch, int64_t classes) const;
};

inline torch::Tensor selectUsable(const torch::Tensor& images, const DataStats* stats) {
    if (!stats || !stats->usable.defined()) {
        return images;
    }
    return images.index_select(0, stats->usable.nonzero().flatten().to(images.device()));
}

inline std::vector<std::string> Task::classLabels(const Batch& batch, int64_t classes) const {
    std::vector<std::string> labels;
    const char* table = batch.extras.count("class_orders") ? "class_orders"
                        : batch.extras.count("table")      ? "table"
                                                           : nullptr;
    for (int64_t k = 0; k < classes; ++k) {
        if (table != nullptr && batch.extras.at(table).size(1) <= 6) {
            std::string order;
            auto row = batch.extras.at(table)[k].to(torch::kCPU);
            for (int64_t i = 0; i < row.size(0); ++i) {
                order += std::to_string(row[i].item<int64_t>());
            }
            labels.push_back(order);
        } else {
            labels.push_back(std::to_string(k));
        }
    }
    return labels;
}

inline Batch Batch::to(const torch::Device& device) const {
    auto move = [&](const torch::Tensor& t) { return t.defined() ? t.to(device) : t; };
    Batch out{move(original), move(input), move(target), move(mask), {}};
    for (const auto& [name, tensor] : extras) {
        out.extras[name] = move(tensor);
    }
    return out;
}

} // namespace pretext
