#include "Tsne.h"

#include "Embedding.h"

#include <ATen/Parallel.h> // at::get_num_threads
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

namespace pretext {

namespace {

// body(begin, end) over [0, n) split across torch's intra-op thread count, on threads of
// its own (the calling thread takes the first part): the same from any thread, the
// window's worker threads included.
template <class Body> void splitAcross(int64_t n, const Body& body) {
    const int workers =
        std::max(1, std::min<int>(at::get_num_threads(), static_cast<int>(n / 256)));
    if (workers == 1) {
        body(int64_t{0}, n);
        return;
    }
    const int64_t chunk = (n + workers - 1) / workers;
    std::vector<std::thread> others;
    for (int w = 1; w < workers; ++w) {
        const int64_t begin = w * chunk, end = std::min(n, begin + chunk);
        if (begin < end) {
            others.emplace_back([&body, begin, end] { body(begin, end); });
        }
    }
    body(int64_t{0}, std::min(n, chunk));
    for (auto& t : others) {
        t.join();
    }
}

// Sparse symmetric affinities P (compressed rows), summing to 1.
struct Affinities {
    std::vector<int64_t> rowStart; // N + 1
    std::vector<int64_t> column;
    std::vector<double> value;
};

// Each point's conditional distribution over its k nearest neighbours, with the
// Gaussian's precision found by bisection so that its perplexity is the one asked for;
// then P = (P_j|i + P_i|j) / 2N.
Affinities affinities(const torch::Tensor& x, double perplexity, const CancelToken& cancel) {
    const int64_t n = x.size(0);
    const int64_t k = std::min<int64_t>(n - 1, static_cast<int64_t>(3.0 * perplexity));
    const auto data = x.to(torch::kFloat32).contiguous();
    const auto norms = data.pow(2).sum(1);
    std::vector<int64_t> nbr(static_cast<size_t>(n * k));
    std::vector<double> dist(static_cast<size_t>(n * k));
    const int64_t block = 512;
    for (int64_t i = 0; i < n; i += block) {
        cancel.throwIfCancelled();
        const int64_t m = std::min(block, n - i);
        auto d2 = (norms.narrow(0, i, m).unsqueeze(1) + norms.unsqueeze(0) -
                   2.0 * data.narrow(0, i, m).mm(data.t()))
                      .clamp_min(0);
        // A point is never its own neighbour.
        auto cells = d2.accessor<float, 2>();
        for (int64_t r = 0; r < m; ++r) {
            cells[r][i + r] = std::numeric_limits<float>::infinity();
        }
        const auto [vals, idx] = d2.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        const auto v = vals.to(torch::kFloat64).contiguous();
        const auto ix = idx.contiguous();
        std::copy(v.data_ptr<double>(), v.data_ptr<double>() + m * k, dist.begin() + i * k);
        std::copy(ix.data_ptr<int64_t>(), ix.data_ptr<int64_t>() + m * k, nbr.begin() + i * k);
    }
    std::vector<double> cond(static_cast<size_t>(n * k));
    const double target = std::log(perplexity);
    splitAcross(n, [&](int64_t begin, int64_t end) {
        std::vector<double> p(static_cast<size_t>(k));
        for (int64_t i = begin; i < end; ++i) {
            const double* d = dist.data() + i * k;
            double beta = 1.0, lo = 0.0, hi = std::numeric_limits<double>::infinity();
            const double shift = d[0]; // distances relative to the nearest, for exp's range
            for (int iter = 0; iter < 100; ++iter) {
                double sum = 0.0, weighted = 0.0;
                for (int64_t j = 0; j < k; ++j) {
                    p[j] = std::exp(-beta * (d[j] - shift));
                    sum += p[j];
                    weighted += p[j] * (d[j] - shift);
                }
                // Entropy of the normalised distribution, in nats.
                const double entropy = std::log(sum) + beta * weighted / sum;
                if (std::abs(entropy - target) < 1e-5) {
                    break;
                }
                if (entropy > target) {
                    lo = beta;
                    beta = std::isinf(hi) ? beta * 2.0 : (beta + hi) / 2.0;
                } else {
                    hi = beta;
                    beta = (beta + lo) / 2.0;
                }
            }
            double sum = 0.0;
            for (int64_t j = 0; j < k; ++j) {
                p[j] = std::exp(-beta * (d[j] - shift));
                sum += p[j];
            }
            for (int64_t j = 0; j < k; ++j) {
                cond[i * k + j] = p[j] / sum;
            }
        }
    });
    // Symmetrise: each (i, j) pair once per direction, then merged per row.
    std::vector<std::map<int64_t, double>> rows(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < k; ++j) {
            const int64_t other = nbr[i * k + j];
            const double v = cond[i * k + j] / (2.0 * static_cast<double>(n));
            rows[i][other] += v;
            rows[other][i] += v;
        }
    }
    Affinities a;
    a.rowStart.reserve(static_cast<size_t>(n + 1));
    a.rowStart.push_back(0);
    for (const auto& row : rows) {
        for (const auto& [column, value] : row) {
            a.column.push_back(column);
            a.value.push_back(value);
        }
        a.rowStart.push_back(static_cast<int64_t>(a.column.size()));
    }
    return a;
}

// A quadtree over the map's points, rebuilt every iteration: each cell knows its
// points' count and centre of mass; a leaf (one point, or several at one place) its
// range of points.
class QuadTree {
public:
    QuadTree(const std::vector<double>& y, int64_t n) : m_y(y), m_order(static_cast<size_t>(n)) {
        for (int64_t i = 0; i < n; ++i) {
            m_order[i] = i;
        }
        double x0 = y[0], x1 = y[0], y0 = y[1], y1 = y[1];
        for (int64_t i = 1; i < n; ++i) {
            x0 = std::min(x0, y[2 * i]);
            x1 = std::max(x1, y[2 * i]);
            y0 = std::min(y0, y[2 * i + 1]);
            y1 = std::max(y1, y[2 * i + 1]);
        }
        const double side = std::max({x1 - x0, y1 - y0, 1e-12}) * (1.0 + 1e-9);
        m_nodes.reserve(static_cast<size_t>(4 * n));
        build(0, n, x0, y0, side, 0);
    }

    // Repulsion on point i: Σ q²(yᵢ - yⱼ) and Σ q, with q = 1 / (1 + |yᵢ - yⱼ|²), over
    // all j ≠ i, far cells taken as one point.
    void repulsion(int64_t i, double theta2, double* fx, double* fy, double* z) const {
        const double px = m_y[2 * i], py = m_y[2 * i + 1];
        double sx = 0.0, sy = 0.0, sz = 0.0;
        int stack[256];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const Node& node = m_nodes[static_cast<size_t>(stack[--top])];
            const double dx = px - node.cx, dy = py - node.cy;
            const double d2 = dx * dx + dy * dy;
            if (node.leaf) {
                for (int64_t p = node.begin; p < node.end; ++p) {
                    const int64_t j = m_order[p];
                    if (j == i) {
                        continue;
                    }
                    const double ex = px - m_y[2 * j], ey = py - m_y[2 * j + 1];
                    const double q = 1.0 / (1.0 + ex * ex + ey * ey);
                    sz += q;
                    sx += q * q * ex;
                    sy += q * q * ey;
                }
            } else if (node.side * node.side < theta2 * d2) {
                const double q = 1.0 / (1.0 + d2);
                const double w = static_cast<double>(node.end - node.begin);
                sz += w * q;
                sx += w * q * q * dx;
                sy += w * q * q * dy;
            } else {
                for (int c : node.child) {
                    if (c >= 0 && top < 256) {
                        stack[top++] = c;
                    }
                }
            }
        }
        *fx = sx;
        *fy = sy;
        *z = sz;
    }

private:
    struct Node {
        double cx = 0, cy = 0, side = 0;
        int64_t begin = 0, end = 0;
        bool leaf = true;
        int child[4] = {-1, -1, -1, -1};
    };

    int build(int64_t begin, int64_t end, double x0, double y0, double side, int depth) {
        const int index = static_cast<int>(m_nodes.size());
        m_nodes.push_back({});
        double cx = 0, cy = 0;
        for (int64_t p = begin; p < end; ++p) {
            cx += m_y[2 * m_order[p]];
            cy += m_y[2 * m_order[p] + 1];
        }
        const double count = static_cast<double>(end - begin);
        Node node;
        node.cx = cx / count;
        node.cy = cy / count;
        node.side = side;
        node.begin = begin;
        node.end = end;
        m_nodes[index] = node;
        if (end - begin <= 1 || depth >= 48) {
            return index; // a leaf (points at one place stop at the depth limit)
        }
        m_nodes[static_cast<size_t>(index)].leaf = false;
        const double half = side / 2.0, mx = x0 + half, my = y0 + half;
        auto isLeft = [&](int64_t i) { return m_y[2 * i] < mx; };
        auto isLow = [&](int64_t i) { return m_y[2 * i + 1] < my; };
        auto* first = m_order.data() + begin;
        auto* last = m_order.data() + end;
        auto* split = std::partition(first, last, isLeft);
        auto* leftSplit = std::partition(first, split, isLow);
        auto* rightSplit = std::partition(split, last, isLow);
        const int64_t bounds[5] = {begin, leftSplit - m_order.data(), split - m_order.data(),
                                   rightSplit - m_order.data(), end};
        const double corners[4][2] = {{x0, y0}, {x0, my}, {mx, y0}, {mx, my}};
        for (int c = 0; c < 4; ++c) {
            if (bounds[c + 1] > bounds[c]) {
                const int child =
                    build(bounds[c], bounds[c + 1], corners[c][0], corners[c][1], half, depth + 1);
                m_nodes[static_cast<size_t>(index)].child[c] = child;
            }
        }
        return index;
    }

    const std::vector<double>& m_y;
    std::vector<int64_t> m_order;
    std::vector<Node> m_nodes;
};

} // namespace

torch::Tensor tsne(const torch::Tensor& x, const TsneOptions& o, const torch::Tensor& init) {
    const int64_t n = x.size(0);
    if (x.dim() != 2 || n < 4) {
        throw std::invalid_argument("t-SNE needs (N,D) data with at least 4 points");
    }
    const double perplexity = std::clamp(o.perplexity, 2.0, std::max(2.0, (n - 1) / 3.0));
    torch::Tensor data = x.to(torch::kFloat32);
    if (data.size(1) > o.maxInputDims) {
        data = pca(data, o.maxInputDims).points;
    }
    const Affinities p = affinities(data, perplexity, o.cancel);

    const bool continuing = init.defined();
    torch::Tensor start;
    if (continuing) {
        if (init.size(0) != n || init.size(1) != 2) {
            throw std::invalid_argument("t-SNE: the starting map must hold one 2-D point per row");
        }
        start = init.to(torch::kFloat64);
    } else {
        start = pca(data, 2).points.to(torch::kFloat64);
        const double sd = start.select(1, 0).std().item<double>();
        start = start * (sd > 0 ? 1e-4 / sd : 1.0);
    }
    start = start.contiguous();
    std::vector<double> y(start.data_ptr<double>(), start.data_ptr<double>() + 2 * n);
    std::vector<double> update(static_cast<size_t>(2 * n), 0.0),
        gains(static_cast<size_t>(2 * n), 1.0);
    std::vector<double> grad(static_cast<size_t>(2 * n)), rep(static_cast<size_t>(2 * n)),
        zPart(static_cast<size_t>(n));
    const double rate = o.learningRate > 0
                            ? o.learningRate
                            : std::max(static_cast<double>(n) / o.exaggeration, 50.0);
    const int iterations = continuing ? std::max(1, o.iterations / 2) : o.iterations;
    const double theta2 = o.theta * o.theta;

    for (int iter = 0; iter < iterations; ++iter) {
        o.cancel.throwIfCancelled();
        const bool early = !continuing && iter < o.exaggerationIterations;
        const double exaggeration = early ? o.exaggeration : 1.0;
        const double momentum = early || (continuing && iter < 50) ? 0.5 : 0.8;
        const QuadTree tree(y, n);
        splitAcross(n, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                tree.repulsion(i, theta2, &rep[2 * i], &rep[2 * i + 1], &zPart[i]);
                // Attraction: Σ pᵢⱼ qᵢⱼ (yᵢ - yⱼ) over the sparse neighbours.
                double ax = 0.0, ay = 0.0;
                for (int64_t e = p.rowStart[i]; e < p.rowStart[i + 1]; ++e) {
                    const int64_t j = p.column[e];
                    const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    const double q = 1.0 / (1.0 + dx * dx + dy * dy);
                    ax += p.value[e] * q * dx;
                    ay += p.value[e] * q * dy;
                }
                grad[2 * i] = exaggeration * ax;
                grad[2 * i + 1] = exaggeration * ay;
            }
        });
        double z = 0.0; // summed in one order, whatever the threads
        for (int64_t i = 0; i < n; ++i) {
            z += zPart[i];
        }
        z = std::max(z, 1e-12);
        double mx = 0.0, my = 0.0;
        for (int64_t c = 0; c < 2 * n; ++c) {
            const double g = 4.0 * (grad[c] - rep[c] / z);
            // Per-coordinate gains (Jacobs 1988), as in the original implementation.
            gains[c] = (g > 0) != (update[c] > 0) ? gains[c] + 0.2 : std::max(gains[c] * 0.8, 0.01);
            update[c] = momentum * update[c] - rate * gains[c] * g;
            y[c] += update[c];
            (c % 2 == 0 ? mx : my) += y[c];
        }
        mx /= static_cast<double>(n);
        my /= static_cast<double>(n);
        for (int64_t i = 0; i < n; ++i) {
            y[2 * i] -= mx;
            y[2 * i + 1] -= my;
        }
    }
    return torch::from_blob(y.data(), {n, 2}, torch::kFloat64).to(torch::kFloat32).clone();
}

} // namespace pretext
