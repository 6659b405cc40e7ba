// Jigsaw puzzles in engine/core: permutation sets, tiles, losses, learning.
#include "DemoData.h"
#include "Rng.h"
#include "Trainer.h"
#include "tasks/jigsaw/JigsawTask.h"
#include "tasks/jigsaw/Permutations.h"
#include "tasks/jigsaw/Puzzles.h"

#include <QtTest>
#include <torch/torch.h>

#include <set>

using namespace pretext;

class TestJigsaw : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void permutationSetBeatsRandom_data() {
        QTest::addColumn<int>("tiles");
        QTest::addColumn<int>("count");
        QTest::newRow("2x2, 10") << 4 << 10;
        QTest::newRow("2x2, all 24") << 4 << 24;
        QTest::newRow("3x3, 10") << 9 << 10;
        QTest::newRow("3x3, 100") << 9 << 100;
        QTest::newRow("4x4, 30 (sampled candidates)") << 16 << 30;
    }

    void permutationSetBeatsRandom() {
        QFETCH(int, tiles);
        QFETCH(int, count);
        const auto set = makePermutationSet(tiles, count, 7);
        QCOMPARE(static_cast<int>(set.perms.size()), count);
        std::set<std::vector<int>> distinct(set.perms.begin(), set.perms.end());
        QCOMPARE(static_cast<int>(distinct.size()), count);
        for (const auto& p : set.perms) {
            std::vector<int> sorted = p;
            std::sort(sorted.begin(), sorted.end());
            for (int i = 0; i < tiles; ++i) {
                QCOMPARE(sorted[i], i); // a true permutation of 0..tiles-1
            }
        }
        // Deterministic for a seed.
        QVERIFY(makePermutationSet(tiles, count, 7).perms == set.perms);
        // At least as spread as a random set of the same size (mean over a few draws).
        double randomMin = 0, randomMean = 0;
        for (uint64_t s = 1; s <= 5; ++s) {
            const auto r = randomPermutationSet(tiles, count, s);
            randomMin += r.minHamming / 5;
            randomMean += r.meanHamming / 5;
        }
        qInfo("greedy min %.2f mean %.3f; random min %.2f mean %.3f", set.minHamming,
              set.meanHamming, randomMin, randomMean);
        QVERIFY(set.minHamming >= randomMin);
        QVERIFY(set.meanHamming >= randomMean - 1e-9);
    }

    void differentSeedsGiveDifferentSets() {
        QVERIFY(makePermutationSet(9, 20, 1).perms != makePermutationSet(9, 20, 2).perms);
    }

    void refusesMoreThanFactorial() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makePermutationSet(4, 25, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makePermutationSet(4, 0, 1));
        QCOMPARE(factorial(9), uint64_t(362880));
    }

    void scrambleThenUnscrambleIsIdentity_data() {
        QTest::addColumn<int>("grid");
        QTest::newRow("2") << 2;
        QTest::newRow("3") << 3;
        QTest::newRow("4") << 4;
    }

    void scrambleThenUnscrambleIsIdentity() {
        QFETCH(int, grid);
        auto gen = makeGenerator(3);
        TileOptions o;
        o.grid = grid;
        o.grayFraction = 0.5;
        o.channelJitterPx = 2;
        auto tiles = cutTiles(makeDemoImages(6, 64, 2), o, gen);
        const auto set = makePermutationSet(grid * grid, 20, 1);
        for (const auto& p : set.perms) {
            auto perms = torch::tensor(std::vector<int64_t>(p.begin(), p.end())).view({1, -1});
            perms = perms.expand({tiles.size(0), -1}).contiguous();
            auto scrambled = scrambleTiles(tiles, perms);
            QVERIFY(torch::equal(unscrambleTiles(scrambled, perms), tiles));
            // Position i shows original tile p[i].
            QVERIFY(torch::equal(scrambled.select(1, 0), tiles.select(1, p[0])));
        }
    }

    void tilesAreTheCellsWithoutGapOrJitter() {
        auto images = makeDemoImages(2, 32, 4);
        TileOptions o;
        o.grid = 2;
        o.gapFraction = 0.0;
        o.jitter = false;
        auto gen = makeGenerator(1);
        auto tiles = cutTiles(images, o, gen);
        using torch::indexing::Slice;
        QVERIFY(torch::equal(tiles.select(1, 3),
                             images.index({Slice(), Slice(), Slice(16, 32), Slice(16, 32)})));
        QVERIFY(torch::equal(composeTiles(tiles, 2, 32), images));
        o.grid = 4;
        o.gapFraction = 0.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, cutTiles(images, o, gen)); // 4 px tiles
    }

    void normalizationGivesZeroMeanUnitVariance() {
        auto gen = makeGenerator(9);
        auto tiles = torch::rand({4, 9, 3, 12, 12}, gen) * 0.3 + 0.2;
        tiles.select(1, 4).fill_(0.7); // a constant tile
        auto n = normalizeTiles(tiles);
        QVERIFY(torch::isfinite(n).all().item<bool>());
        auto mean = n.mean({2, 3, 4});
        auto var = n.var({2, 3, 4}, false);
        QVERIFY(mean.abs().max().item<double>() < 1e-4); // float32 rounding
        var.select(1, 4).fill_(1.0); // the constant tile has no variance to restore
        QVERIFY((var - 1).abs().max().item<double>() < 1e-3);
        QVERIFY(n.select(1, 4).abs().max().item<double>() < 1e-4); // flat stays flat
    }

    void permutationLossIsCrossEntropyAndGradientSoftmaxMinusOneHot() {
        auto logits = torch::tensor({{2.0, -1.0, 0.5, 0.0}}).requires_grad_(true);
        auto index = torch::tensor({2}, torch::kLong);
        auto loss = permutationLoss(logits, index);
        const double z = std::exp(2.0) + std::exp(-1.0) + std::exp(0.5) + std::exp(0.0);
        QVERIFY(std::abs(loss.item<double>() - (-std::log(std::exp(0.5) / z))) < 1e-6);
        loss.backward();
        auto expected =
            torch::softmax(logits.detach(), 1) - torch::one_hot(index, 4).to(logits.scalar_type());
        QVERIFY(torch::allclose(logits.grad(), expected, 1e-6, 1e-9));
    }

    void positionLossIsTheSeedsSumAndGradientPerPosition() {
        auto gen = makeGenerator(4);
        auto logits = torch::randn({1, 4, 4}, gen).to(torch::kDouble).requires_grad_(true);
        auto perms = torch::tensor({{2, 0, 3, 1}}, torch::kLong);
        auto loss = positionLoss(logits, perms);
        auto p = torch::softmax(logits.detach(), 2);
        double expected = 0.0;
        for (int i = 0; i < 4; ++i) {
            expected -= std::log(p[0][i][perms[0][i].item<int64_t>()].item<double>());
        }
        QVERIFY(std::abs(loss.item<double>() - expected) < 1e-9);
        loss.backward();
        auto grad = p - torch::one_hot(perms, 4).to(torch::kDouble);
        QVERIFY(torch::allclose(logits.grad(), grad, 1e-9, 1e-12));
    }

    void trainingBeatsChanceThreefold() {
        JigsawTask task;
        const ParamValues params = {{"perms", 10.0}, {"base_channels", 16.0}};
        auto evalImages = makeDemoImages(128, 64, 91);
        BatchContext evalCtx{withDefaults(task.info(), params), makeGenerator(6),
                             evalImages.mean({0, 2, 3}), 5};
        const Batch evalBatch = task.makeBatch(evalImages, evalCtx);

        TrainConfig cfg;
        cfg.task = "jigsaw";
        cfg.params = params;
        cfg.batchSize = 32;
        cfg.learningRate = task.info().learningRate;
        cfg.seed = 5; // the same permutation set as the evaluation batch
        cfg.device = "cpu";
        Trainer trainer(cfg, makeDemoImages(512, 64, 3));
        const int steps = 300;
        for (int i = 0; i < steps; ++i) {
            trainer.step();
        }
        torch::NoGradGuard noGrad;
        trainer.model().eval();
        auto out = trainer.model().forward(evalBatch.input);
        const double accuracy = task.loss(out, evalBatch, params).metrics.at("accuracy");
        qInfo("held-out accuracy %.3f after %d steps (chance 0.100)", accuracy, steps);
        QVERIFY2(accuracy >= 0.3, qPrintable(QString::number(accuracy)));
    }
};

QTEST_GUILESS_MAIN(TestJigsaw)
#include "test_jigsaw.moc"
