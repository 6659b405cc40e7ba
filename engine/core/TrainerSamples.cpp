// Where a run's samples come from: the split into training and held-out samples (images,
// or a video's windows), the epoch order and each sample's augmentation key, and the
// batches themselves, from the cached tensor or from a SampleSource (told what comes next).
#include "Trainer.h"

#include <torch/torch.h>

namespace pretext {

torch::Tensor Trainer::setUpImages(const torch::Tensor& images) {
    // The task looks at the whole set once (colorization drops grayscale images and
    // counts the data's colours); what it cannot use never reaches a batch.
    m_stats = m_task->analyze(images);
    const torch::Tensor usable = selectUsable(images, m_stats.get());
    m_usableImages = usable.size(0);
    if (m_usableImages == 0) {
        throw TrainingError("no image is usable for " + m_config.task + ": " +
                            (m_stats ? m_stats->note : std::string("none given")));
    }
    // Keep up to 128 images (an eighth of the set) out of training to judge the model
    // on; a set under 64 images is too small to split and is judged on itself.
    const int64_t n = usable.size(0);
    const int64_t evalCount = n >= 64 ? std::min<int64_t>(128, n / 8) : 0;
    auto train = evalCount > 0 ? usable.narrow(0, 0, n - evalCount) : usable;
    m_train = train.to(m_device).contiguous();
    m_mean = train.mean({0, 2, 3});
    return evalCount > 0 ? usable.narrow(0, n - evalCount, evalCount) : usable;
}

torch::Tensor Trainer::setUpWindows(const VideoFrames& video, const torch::Tensor& sample) {
    const WindowSpec spec = m_task->windows(m_config.params);
    const WindowPlan plan = planWindows(video, spec);
    if (plan.trainCount() == 0) {
        throw TrainingError(
            "no window of " + std::to_string(plan.length) +
            " frames passes the motion filter: " + plan.note() +
            (plan.relative ? "; the video does not move at all, or is shorter than one window: "
                             "load a longer or livelier video, or lower the frame spacing"
                           : "; lower Min. motion, set Motion filter to relative (each video "
                             "keeps its own most-moving windows), or load a livelier video"));
    }
    auto stats = std::make_shared<DataStats>();
    stats->note = plan.note();
    m_windowLength = plan.length;
    if (video.streamed()) {
        m_clipReader = video.reader;
        m_trainStarts = plan.trainStarts();
        m_mean = sample.mean({0, 2, 3});
    } else {
        m_train = video.frames.to(m_device).contiguous();
        m_trainStarts = plan.trainStarts().to(m_device);
        m_mean = video.frames.mean({0, 2, 3});
    }
    m_usableImages = m_trainStarts.size(0);
    torch::Tensor evalStarts = plan.heldOutStarts(128);
    if (evalStarts.size(0) == 0) {
        // Too short to keep a tail apart: judged on (some of) its training windows.
        stats->note += "; the video is too short to hold a part out, so the model is judged "
                       "on training windows";
        auto all = plan.trainStarts();
        auto pick = torch::linspace(0, static_cast<double>(all.size(0) - 1),
                                    std::min<int64_t>(128, all.size(0)))
                        .round()
                        .to(torch::kLong);
        evalStarts = all.index_select(0, pick);
    }
    m_stats = stats;
    auto clips = readWindows(video, evalStarts, m_windowLength);
    if (clips.size(0) == 0) {
        throw TrainingError("none of the held-out windows can be read from the video files");
    }
    return clips;
}

torch::Tensor Trainer::readTrainingClips(const torch::Tensor& indices) {
    auto idx = indices.to(torch::kCPU).contiguous();
    const int64_t* ix = idx.data_ptr<int64_t>();
    const int64_t* starts = m_trainStarts.data_ptr<int64_t>();
    const int64_t n = m_trainStarts.size(0);
    std::vector<ClipRequest> requests;
    for (int64_t i = 0; i < idx.size(0); ++i) {
        requests.push_back({starts[ix[i]], m_keyBase + static_cast<uint64_t>(i)});
    }
    std::vector<bool> ok;
    auto clips = m_clipReader->read(requests, m_windowLength, m_config.augment, m_config.seed, &ok);
    for (int64_t i = 0; i < idx.size(0); ++i) {
        // The next training window of a video still readable, with the same key: the
        // batch keeps its size and stays reproducible.
        for (int64_t step = 1; !ok[static_cast<size_t>(i)]; ++step) {
            if (step >= n) {
                const auto skipped = m_clipReader->skipped();
                throw TrainingError("no video of the set can be read any more" +
                                    (skipped.empty() ? std::string()
                                                     : " (last: " + skipped.back().path + " " +
                                                           skipped.back().reason + ")"));
            }
            const int64_t start = starts[(ix[i] + step) % n];
            if (m_clipReader->unusable(start)) {
                continue;
            }
            std::vector<bool> again;
            auto clip = m_clipReader->read({{start, requests[static_cast<size_t>(i)].key}},
                                           m_windowLength, m_config.augment, m_config.seed, &again);
            if (again.front()) {
                clips[i].copy_(clip[0]);
                ok[static_cast<size_t>(i)] = true;
            }
        }
    }
    return clips;
}

int64_t Trainer::epochSize() const {
    if (m_source) {
        return m_sourceIndex.defined() ? m_sourceIndex.size(0) : m_source->trainCount();
    }
    return m_windowLength > 0 ? m_trainStarts.size(0) : m_train.size(0);
}

std::vector<AugmentDraw> Trainer::draws(int64_t count, int64_t width, int64_t height) const {
    std::vector<AugmentDraw> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        out.push_back(drawAugment(m_config.augment, m_config.seed,
                                  m_keyBase + static_cast<uint64_t>(i), width, height));
    }
    return out;
}

torch::Tensor Trainer::samples(const torch::Tensor& indices) {
    const AugmentSpec& augment = m_config.augment;
    torch::Tensor x;
    if (m_source) {
        auto cpu = indices.to(torch::kCPU);
        if (m_sourceIndex.defined()) {
            cpu = m_sourceIndex.index_select(0, cpu);
        }
        cpu = cpu.contiguous();
        const int64_t* idx = cpu.data_ptr<int64_t>();
        std::vector<SampleRequest> requests;
        for (int64_t i = 0; i < cpu.size(0); ++i) {
            requests.push_back({idx[i], m_keyBase + static_cast<uint64_t>(i)});
        }
        x = m_source->fetch(requests).to(m_device);
        prefetchNext();
    } else if (m_clipReader) {
        x = readTrainingClips(indices).to(m_device);
        prefetchNext();
    } else {
        x = m_windowLength > 0
                ? gatherWindows(m_train, m_trainStarts.index_select(0, indices), m_windowLength)
                : m_train.index_select(0, indices);
    }
    if (!augment.any()) {
        return x;
    }
    // One draw per sample: the crop and flip of the cached tensor (a source or a clip
    // reader has applied its own to the decoded files), then the colour jitter
    // (size-independent).
    const auto drawn = draws(x.size(0), x.size(-1), x.size(-2));
    if (!m_source && !m_clipReader && (augment.crop || augment.flip)) {
        x = cropAndFlip(x, drawn, x.size(-1));
    }
    if (augment.jitter > 0.0) {
        x = colourJitter(x, drawn);
    }
    return x;
}

int64_t Trainer::rankShare(int64_t epochSamples) const {
    const int64_t world = m_comm ? m_comm->worldSize() : 1;
    return std::max<int64_t>(1, std::min(m_config.batchSize * world, epochSamples) / world);
}

void Trainer::prefetchNext() {
    const int64_t n = epochSize();
    const int64_t b = rankShare(n);
    const int64_t global = b * (m_comm ? m_comm->worldSize() : 1);
    if ((!m_source && !m_clipReader) || !m_order.defined() || m_cursor + global > n) {
        return; // the next epoch's order is drawn when it begins
    }
    const int64_t first = m_cursor + rankOffset(b);
    auto next = m_order.narrow(0, first, b);
    const uint64_t base = (static_cast<uint64_t>(m_epoch) << 32) + static_cast<uint64_t>(first);
    if (m_clipReader) {
        next = m_trainStarts.index_select(0, next).contiguous();
        const int64_t* starts = next.data_ptr<int64_t>();
        std::vector<ClipRequest> requests;
        for (int64_t i = 0; i < b; ++i) {
            requests.push_back({starts[i], base + static_cast<uint64_t>(i)});
        }
        m_clipReader->prefetch(requests, m_windowLength, m_config.augment, m_config.seed);
        return;
    }
    if (m_sourceIndex.defined()) {
        next = m_sourceIndex.index_select(0, next);
    }
    next = next.contiguous();
    const int64_t* idx = next.data_ptr<int64_t>();
    std::vector<SampleRequest> requests;
    for (int64_t i = 0; i < b; ++i) {
        requests.push_back({idx[i], base + static_cast<uint64_t>(i)});
    }
    m_source->prefetch(requests);
}

torch::Tensor Trainer::nextIndices() {
    // A global batch of `b` samples per rank from the order every rank draws alike; this
    // rank takes its consecutive share (one process: the whole batch).
    const int64_t n = epochSize();
    const int64_t b = rankShare(n);
    const int64_t global = b * (m_comm ? m_comm->worldSize() : 1);
    if (!m_order.defined() || m_cursor + global > n) {
        m_order = torch::randperm(n, m_orderGenerator, torch::kLong);
        m_cursor = 0;
        ++m_epoch;
    }
    const int64_t first = m_cursor + rankOffset(b);
    // Each sample's augmentation key: its epoch and its place in the epoch's order (the
    // same as one process drawing the whole global batch would give it).
    m_keyBase = (static_cast<uint64_t>(m_epoch) << 32) + static_cast<uint64_t>(first);
    auto idx = m_order.narrow(0, first, b);
    m_cursor += global;
    return idx.to(m_device);
}

} // namespace pretext
