#include "Embedding.h"

#include <torch/torch.h>

#include <stdexcept>

namespace pretext {

PcaResult pca(const torch::Tensor& x, int64_t dims) {
    if (x.dim() != 2 || x.size(0) < 2) {
        throw std::invalid_argument("pca: needs (N,D) data with N >= 2");
    }
    const auto data = x.to(torch::kFloat64);
    const auto centred = data - data.mean(0, true);
    const int64_t d = data.size(1);
    const int64_t k = std::min(dims, d);
    // Eigenvectors of the D x D covariance (D is a feature width, a few hundred at most).
    const auto cov = centred.t().mm(centred) / static_cast<double>(data.size(0) - 1);
    const auto [values, vectors] = torch::linalg::eigh(cov, "L"); // ascending
    auto components = vectors.narrow(1, d - k, k).flip({1});      // (D,k), largest first
    // The sign of an eigenvector is arbitrary: make each one's largest loading positive.
    const auto largest = components.abs().argmax(0);
    const auto signs = components.gather(0, largest.unsqueeze(0)).sign();
    components = components * torch::where(signs == 0, torch::ones_like(signs), signs);
    PcaResult r;
    r.points = centred.mm(components).to(torch::kFloat32);
    const double total = values.clamp_min(0).sum().item<double>();
    r.explained =
        total > 0 ? values.narrow(0, d - k, k).clamp_min(0).sum().item<double>() / total : 0.0;
    return r;
}

double silhouette(const torch::Tensor& x, const torch::Tensor& labels) {
    const int64_t n = x.size(0);
    if (labels.size(0) != n || n < 2) {
        throw std::invalid_argument("silhouette: needs one label per point, two points or more");
    }
    const auto data = x.to(torch::kFloat64);
    const auto y = labels.to(torch::kLong);
    const int64_t classes = y.max().item<int64_t>() + 1;
    const auto onehot = torch::one_hot(y, classes).to(torch::kFloat64); // (N,C)
    const auto counts = onehot.sum(0);                                  // (C)
    // Sum of distances from each point to each class, a block of rows at a time.
    auto sums = torch::zeros({n, classes}, torch::kFloat64);
    const int64_t block = 1024;
    for (int64_t i = 0; i < n; i += block) {
        const int64_t m = std::min(block, n - i);
        const auto dist = torch::cdist(data.narrow(0, i, m), data); // (m,N)
        sums.narrow(0, i, m).copy_(dist.mm(onehot));
    }
    const auto own = counts.index_select(0, y); // (N)
    const auto keep = own > 1;
    const auto a = sums.gather(1, y.unsqueeze(1)).squeeze(1) / (own - 1).clamp_min(1);
    auto others = sums / counts.clamp_min(1).unsqueeze(0);
    // A point's own class, and empty classes, never count as the nearest other class.
    others = others.masked_fill(onehot.to(torch::kBool), std::numeric_limits<double>::infinity());
    others = others.masked_fill((counts == 0).unsqueeze(0).expand({n, classes}),
                                std::numeric_limits<double>::infinity());
    const auto b = std::get<0>(others.min(1));
    const auto s = (b - a) / torch::maximum(a, b).clamp_min(1e-12);
    if (keep.sum().item<int64_t>() == 0 || classes < 2) {
        return 0.0;
    }
    return s.masked_select(keep).mean().item<double>();
}

torch::Tensor alignTo(const torch::Tensor& moving, const torch::Tensor& reference) {
    if (moving.sizes() != reference.sizes() || moving.dim() != 2) {
        throw std::invalid_argument("alignTo: the two maps must hold the same points");
    }
    const auto a = moving.to(torch::kFloat64), b = reference.to(torch::kFloat64);
    const auto ma = a.mean(0, true), mb = b.mean(0, true);
    const auto ca = a - ma, cb = b - mb;
    const double norm = ca.pow(2).sum().item<double>();
    if (norm <= 0.0) {
        return reference.clone();
    }
    // R = U Vᵀ from the SVD of caᵀ cb maximises trace(Rᵀ caᵀ cb); a reflection is allowed.
    const auto [u, sv, vh] = torch::linalg::svd(ca.t().mm(cb), false, c10::nullopt);
    const auto rotation = u.mm(vh);
    const double scale = sv.sum().item<double>() / norm;
    return (ca.mm(rotation) * scale + mb).to(moving.scalar_type());
}

} // namespace pretext
