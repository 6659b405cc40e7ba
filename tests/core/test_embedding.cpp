// The embedding map's mathematics: t-SNE and PCA keep well-separated clusters apart,
// the silhouette tells separated classes from shuffled ones, a map aligned onto a
// rotated and mirrored copy of itself lands on it, and an image's near-duplicate is its
// first neighbour.
#include "Embedding.h"
#include "Knn.h"
#include "Rng.h"
#include "Tsne.h"

#include <ATen/Parallel.h>
#include <QtTest>
#include <torch/torch.h>

namespace {
// `perCluster` points around each of `clusters` centres far apart in `dims` dimensions.
std::pair<torch::Tensor, torch::Tensor> clusters(int64_t clusters, int64_t perCluster, int64_t dims,
                                                 double spread, uint64_t seed) {
    auto gen = pretext::makeGenerator(seed);
    const auto centres = torch::randn({clusters, dims}, gen) * 10.0;
    const auto labels = torch::arange(clusters * perCluster, torch::kLong).remainder(clusters);
    return {centres.index_select(0, labels) + spread * torch::randn({labels.size(0), dims}, gen),
            labels};
}
} // namespace

class TestEmbedding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void silhouetteTellsSeparatedFromShuffled() {
        const auto [x, labels] = clusters(4, 50, 16, 1.0, 1);
        const double separated = pretext::silhouette(x, labels);
        QVERIFY2(separated > 0.7, qPrintable(QString::number(separated)));
        auto gen = pretext::makeGenerator(2);
        const auto shuffled = labels.index_select(0, torch::randperm(labels.size(0), gen));
        const double chance = pretext::silhouette(x, shuffled);
        QVERIFY2(std::abs(chance) < 0.1, qPrintable(QString::number(chance)));
        // Two points per class far apart: the formula's own value, (b - a) / b.
        const auto pts = torch::tensor({{0.0f}, {1.0f}, {10.0f}, {11.0f}});
        const auto two = torch::tensor({0, 0, 1, 1}, torch::kLong);
        // Point 0: a = 1, b = (10 + 11) / 2 = 10.5.
        const double expected =
            (((10.5 - 1) / 10.5) + ((9.5 - 1) / 9.5) + ((9.5 - 1) / 9.5) + ((10.5 - 1) / 10.5)) /
            4.0;
        QVERIFY(std::abs(pretext::silhouette(pts, two) - expected) < 1e-6);
    }

    void pcaFindsTheDirectionOfLargestVariance() {
        auto gen = pretext::makeGenerator(3);
        // Variance 100 along (1,1,0)/√2, 1 along z, 0.01 along the rest.
        const auto t = torch::randn({500, 1}, gen) * 10.0;
        const auto z = torch::randn({500, 1}, gen);
        const auto x = torch::cat({t / std::sqrt(2.0), t / std::sqrt(2.0), z}, 1) +
                       0.1 * torch::randn({500, 3}, gen);
        const pretext::PcaResult r = pretext::pca(x, 2);
        QCOMPARE(r.points.sizes(), (torch::IntArrayRef{500, 2}));
        QVERIFY2(r.explained > 0.99, qPrintable(QString::number(r.explained)));
        // The first component is t itself (up to its fixed sign), the second z.
        const double c0 = torch::corrcoef(torch::stack({r.points.select(1, 0), t.squeeze(1)}))[0][1]
                              .item<double>();
        QVERIFY(std::abs(c0) > 0.999);
        // Equal data, equal map (the signs are fixed).
        QVERIFY(torch::allclose(pretext::pca(x.clone(), 2).points, r.points));
    }

    void tsneKeepsClustersApartAndIsRepeatable() {
        const auto [x, labels] = clusters(5, 120, 32, 1.0, 4); // 600: split across threads
        const int before = at::get_num_threads();
        at::set_num_threads(1);
        const auto one = pretext::tsne(x);
        at::set_num_threads(2);
        const auto two = pretext::tsne(x);
        at::set_num_threads(before);
        QCOMPARE(one.sizes(), (torch::IntArrayRef{600, 2}));
        QVERIFY(torch::isfinite(one).all().item<bool>());
        // The same map whatever the number of threads.
        QVERIFY(torch::equal(one, two));
        const double s = pretext::silhouette(one, labels);
        QVERIFY2(s > 0.6, qPrintable(QString::number(s)));
        // PCA of the same points keeps them apart too (the centres are far apart).
        QVERIFY(pretext::silhouette(pretext::pca(x, 2).points, labels) > 0.3);
        // Continuing from a map changes it little when the data have not changed.
        const auto again = pretext::tsne(x, {}, one);
        QVERIFY(pretext::silhouette(again, labels) > 0.6);
        const auto aligned = pretext::alignTo(again, one);
        const double moved = (aligned - one).norm(2, 1).mean().item<double>();
        const double size = (one - one.mean(0)).norm(2, 1).mean().item<double>();
        QVERIFY2(moved < 0.5 * size, qPrintable(QStringLiteral("%1 of %2").arg(moved).arg(size)));
    }

    void tsneNamesItsLimitsAndCancels() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pretext::tsne(torch::zeros({3, 4})));
        // Identical points (a quadtree cell that never splits) give a finite map.
        const auto same = pretext::tsne(torch::ones({50, 4}));
        QVERIFY(torch::isfinite(same).all().item<bool>());
        pretext::TsneOptions o;
        o.cancel.cancel();
        QVERIFY_THROWS_EXCEPTION(pretext::Cancelled, pretext::tsne(torch::randn({100, 4}), o));
    }

    void alignmentUndoesRotationMirrorAndScale() {
        auto gen = pretext::makeGenerator(5);
        const auto a = torch::randn({60, 2}, gen);
        const double angle = 1.1;
        const auto r =
            torch::tensor({{std::cos(angle), -std::sin(angle)}, {std::sin(angle), std::cos(angle)}},
                          torch::kFloat);
        const auto mirror = torch::tensor({{1.0f, 0.0f}, {0.0f, -1.0f}});
        const auto moved = a.mm(r).mm(mirror) * 3.0 + torch::tensor({{5.0f, -2.0f}});
        QVERIFY(torch::allclose(pretext::alignTo(moved, a), a, 1e-4, 1e-4));
    }

    void nearDuplicateIsTheFirstNeighbour() {
        namespace F = torch::nn::functional;
        auto gen = pretext::makeGenerator(6);
        auto bank = torch::randn({1000, 64}, gen);
        bank[700] = bank[123] + 0.01 * torch::randn({64}, gen);
        bank = F::normalize(bank, F::NormalizeFuncOptions().p(2).dim(1));
        const auto [index, similarity] = pretext::nearestNeighbours(bank, bank[123], 5, 123);
        QCOMPARE(index.size(0), 5);
        QCOMPARE(index[0].item<int64_t>(), 700);
        QVERIFY(similarity[0].item<double>() > 0.99);
        QVERIFY((index != 123).all().item<bool>()); // the image itself is left out
        // Most similar first.
        QVERIFY((similarity.slice(0, 0, 4) >= similarity.slice(0, 1, 5)).all().item<bool>());
    }
};

QTEST_APPLESS_MAIN(TestEmbedding)
#include "test_embedding.moc"
