#include "tasks/temporal/Tuples.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace pretext {

int OrderClasses::classOfOrder(const std::vector<int>& order) const {
    auto it = std::lower_bound(perms.begin(), perms.end(), order);
    return it != perms.end() && *it == order ? classOf[static_cast<size_t>(it - perms.begin())]
                                             : -1;
}

namespace {
void checkFrameCount(int frames) {
    if (frames < 2 || frames > 6) {
        throw std::invalid_argument("temporal order needs 2 to 6 frames, not " +
                                    std::to_string(frames));
    }
}
} // namespace

OrderClasses makeOrderClasses(int frames) {
    checkFrameCount(frames);
    OrderClasses out;
    out.frames = frames;
    std::vector<int> order(static_cast<size_t>(frames));
    std::iota(order.begin(), order.end(), 0);
    do {
        out.perms.push_back(order);
    } while (std::next_permutation(order.begin(), order.end()));
    std::map<std::vector<int>, int> classByKey;
    for (const auto& p : out.perms) {
        // The same frames from the video played backwards: each time index t becomes
        // T-1-t. Sorting them gives the sequence reversed, so the input alone cannot
        // tell the two apart; they are one class.
        std::vector<int> reversed(p.size());
        std::transform(p.begin(), p.end(), reversed.begin(), [&](int t) { return frames - 1 - t; });
        const auto& key = std::min(p, reversed);
        auto [it, added] = classByKey.emplace(key, static_cast<int>(out.representatives.size()));
        if (added) {
            out.representatives.push_back(key);
        }
        out.classOf.push_back(it->second);
    }
    return out;
}

const OrderClasses& orderClasses(int frames) {
    checkFrameCount(frames);
    static const std::vector<OrderClasses> all = [] {
        std::vector<OrderClasses> v;
        for (int t = 2; t <= 6; ++t) {
            v.push_back(makeOrderClasses(t));
        }
        return v;
    }();
    return all[static_cast<size_t>(frames - 2)];
}

VerifyTuples sampleVerifyTuples(int64_t count, at::Generator& generator) {
    // Kinds: 0 and 1 are (b,c,d), 2 is (b,a,d), 3 is (b,e,d): half in order.
    const auto kinds = torch::randint(0, 4, {count}, generator, torch::kLong);
    const auto flip = torch::randint(0, 2, {count}, generator, torch::kLong).to(torch::kBool);
    auto table = torch::tensor({1, 2, 3, 1, 2, 3, 1, 0, 3, 1, 4, 3}, torch::kLong).view({4, 3});
    auto positions = table.index_select(0, kinds);
    positions = torch::where(flip.unsqueeze(1), positions.flip({1}), positions);
    return {positions, (kinds < 2).to(torch::kFloat)};
}

SortTuples sampleSortTuples(int64_t count, const OrderClasses& classes, at::Generator& generator) {
    const auto total = static_cast<int64_t>(classes.perms.size());
    std::vector<int64_t> flat, classOf;
    for (size_t i = 0; i < classes.perms.size(); ++i) {
        flat.insert(flat.end(), classes.perms[i].begin(), classes.perms[i].end());
        classOf.push_back(classes.classOf[i]);
    }
    auto table = torch::tensor(flat, torch::kLong).view({total, classes.frames});
    auto classTable = torch::tensor(classOf, torch::kLong);
    auto index = torch::randint(0, total, {count}, generator, torch::kLong);
    return {table.index_select(0, index), classTable.index_select(0, index)};
}

torch::Tensor frameStrip(const torch::Tensor& frames) {
    // (B,K,3,S,S) -> (B,3,S,K,S) -> (B,3,S,K*S)
    const int64_t b = frames.size(0), k = frames.size(1), c = frames.size(2), s = frames.size(3);
    return frames.permute({0, 2, 3, 1, 4}).reshape({b, c, s, k * frames.size(4)});
}

torch::Tensor orientPrediction(const torch::Tensor& predicted, const torch::Tensor& truth,
                               bool reverseEquivalent) {
    if (!reverseEquivalent) {
        return predicted;
    }
    const int64_t t = predicted.size(1);
    // Reading the order backwards: the frame at position i is then at time t-1-p[i].
    auto backwards = (t - 1) - predicted;
    auto forwardHits = (predicted == truth).sum(1);
    auto backwardHits = (backwards == truth).sum(1);
    return torch::where((backwardHits > forwardHits).unsqueeze(1), backwards, predicted);
}

} // namespace pretext
