#include "Knn.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace pretext {

double knnAccuracy(const torch::Tensor& bank, const torch::Tensor& bankLabels,
                   const torch::Tensor& queries, const torch::Tensor& queryLabels, int64_t classes,
                   const KnnOptions& options) {
    if (bank.dim() != 2 || queries.dim() != 2 || bank.size(1) != queries.size(1) ||
        bank.size(0) != bankLabels.size(0) || queries.size(0) != queryLabels.size(0)) {
        throw std::invalid_argument("knnAccuracy: features and labels do not match");
    }
    if (bank.size(0) == 0 || queries.size(0) == 0) {
        return 0.0;
    }
    torch::NoGradGuard noGrad;
    namespace F = torch::nn::functional;
    const auto unit = F::NormalizeFuncOptions().p(2).dim(1);
    const auto b = F::normalize(bank.to(torch::kFloat), unit);
    const auto labels = bankLabels.to(torch::kLong);
    const int64_t k = std::min<int64_t>(std::max<int64_t>(1, options.k), b.size(0));
    int64_t correct = 0;
    for (int64_t start = 0; start < queries.size(0); start += options.chunk) {
        const int64_t n = std::min(options.chunk, queries.size(0) - start);
        const auto q = F::normalize(queries.narrow(0, start, n).to(torch::kFloat), unit);
        const auto [similarity, index] = q.matmul(b.t()).topk(k, 1);
        const auto weights = (similarity / options.temperature).exp();
        auto votes = torch::zeros({n, classes}, torch::kFloat);
        votes.scatter_add_(1, labels.index({index.flatten()}).view({n, k}), weights);
        const auto predicted = votes.argmax(1);
        correct +=
            predicted.eq(queryLabels.narrow(0, start, n).to(torch::kLong)).sum().item<int64_t>();
    }
    return static_cast<double>(correct) / static_cast<double>(queries.size(0));
}

std::pair<torch::Tensor, torch::Tensor> nearestNeighbours(const torch::Tensor& bank,
                                                          const torch::Tensor& query, int64_t k,
                                                          int64_t exclude) {
    if (bank.dim() != 2 || query.dim() != 1 || bank.size(1) != query.size(0)) {
        throw std::invalid_argument("nearestNeighbours: the query's width is not the bank's");
    }
    torch::NoGradGuard noGrad;
    const auto q = query.to(bank.scalar_type());
    auto similarity = bank.mv(q / q.norm().clamp_min(1e-12));
    if (exclude >= 0 && exclude < bank.size(0)) {
        similarity[exclude] = -std::numeric_limits<float>::infinity();
    }
    const int64_t n = bank.size(0) - (exclude >= 0 && exclude < bank.size(0) ? 1 : 0);
    const auto [values, index] = similarity.topk(std::clamp<int64_t>(k, 0, n));
    return {index, values};
}

} // namespace pretext
