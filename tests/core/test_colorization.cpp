// Colorization in engine/core: Lab conversion, the ab bins, soft targets, class
// rebalancing, annealed-mean decoding, both losses and a short training run.
#include "DemoData.h"
#include "Rng.h"
#include "Trainer.h"
#include "tasks/colorization/AbBins.h"
#include "tasks/colorization/ColorizationTask.h"
#include "tasks/colorization/Lab.h"

#include <QtTest>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <set>

using namespace pretext;

namespace {
// (N,3) colours in [0,1] -> (N,3) Lab by OpenCV's float conversion.
torch::Tensor openCvLab(const torch::Tensor& rgb) {
    auto src = rgb.to(torch::kFloat).contiguous();
    cv::Mat in(static_cast<int>(src.size(0)), 1, CV_32FC3, src.data_ptr<float>());
    cv::Mat out;
    cv::cvtColor(in, out, cv::COLOR_RGB2Lab);
    return torch::from_blob(out.data, {src.size(0), 3}, torch::kFloat).clone();
}

torch::Tensor ourLab(const torch::Tensor& rgb) {
    return rgbToLab(rgb.to(torch::kFloat).view({-1, 3, 1, 1})).view({-1, 3});
}

// Random colours, the cube's corners and the pixels of a few demo images: (N,3).
torch::Tensor testColors() {
    auto random = torch::rand({20000, 3}, makeGenerator(11));
    auto corners = torch::tensor({0., 0., 0., 1., 1., 1., 1., 0., 0., 0., 1.,  0.,  0., 0.,
                                  1., 1., 1., 0., 0., 1., 1., 1., 0., 1., 0.5, 0.5, 0.5})
                       .view({-1, 3});
    auto demo = makeDemoImages(8, 32, 4).permute({0, 2, 3, 1}).reshape({-1, 3});
    return torch::cat({random, corners.to(torch::kFloat), demo});
}

std::set<int64_t> cellsOf(const torch::Tensor& ab) {
    auto cells = ((ab / 10.0).round().clamp(-11, 11) + 11).to(torch::kLong);
    auto index = cells.select(1, 0) * 23 + cells.select(1, 1);
    std::set<int64_t> out;
    for (int64_t i = 0; i < index.size(0); ++i) {
        out.insert(index[i].item<int64_t>());
    }
    return out;
}
} // namespace

class TestColorization : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void labAgreesWithOpenCv() {
        auto colors = testColors();
        auto diff = (ourLab(colors) - openCvLab(colors)).abs();
        const double maxL = diff.select(1, 0).max().item<double>();
        const double maxAb = diff.narrow(1, 1, 2).max().item<double>();
        const double mean = diff.mean().item<double>();
        qInfo("difference from OpenCV over %lld colours: largest L %.4f, ab %.4f; mean %.4f",
              static_cast<long long>(colors.size(0)), maxL, maxAb, mean);
        // OpenCV's float path interpolates tables (its dark values come in steps of
        // 1/64); ours is the closed form. A just noticeable difference is about 2.3.
        QVERIFY2(maxL < 0.6 && maxAb < 0.6 && mean < 0.1,
                 qPrintable(QStringLiteral("L %1 ab %2 mean %3").arg(maxL).arg(maxAb).arg(mean)));
    }

    void labRoundTripReturnsTheInput() {
        auto colors = testColors().to(torch::kDouble);
        auto back = labToRgb(rgbToLab(colors.view({-1, 3, 1, 1}))).view({-1, 3});
        const double err = (back - colors).abs().max().item<double>();
        QVERIFY2(err < 1e-9, qPrintable(QString::number(err)));
        // Single precision, as training uses it.
        auto f = colors.to(torch::kFloat);
        auto backF = labToRgb(rgbToLab(f.view({-1, 3, 1, 1}))).view({-1, 3});
        QVERIFY((backF - f).abs().max().item<double>() < 1e-4);
    }

    void gamutBinsAreStable() {
        const AbGamut coarse = deriveAbGamut(64);
        const AbGamut fine = deriveAbGamut(512);
        qInfo("in-gamut bins: %lld (64 levels per edge), %lld (512)",
              static_cast<long long>(coarse.count()), static_cast<long long>(fine.count()));
        QCOMPARE(coarse.count(), fine.count());
        QVERIFY(torch::equal(coarse.centers, fine.centers));
        // Zhang et al. list 313 bins, about one ring of cells wider than sRGB reaches
        // (their a = -90 column starts at b = 50; pure green is a = -86 at b = 83).
        QVERIFY(coarse.count() >= 250 && coarse.count() <= 330);
        QCOMPARE(abGamut().count(), coarse.count());
        // Bins lie on the grid of 10 and are distinct.
        auto c = coarse.centers;
        QVERIFY(torch::equal(c, (c / 10.0).round() * 10.0));
        QCOMPARE(static_cast<int64_t>(cellsOf(c).size()), coarse.count());
    }

    void everyBinIsReachableByOpenCvColours() {
        // An independent converter over the same cube surface lands on the same cells.
        auto lab = openCvLab(rgbCubeSurface(256));
        const std::set<int64_t> reached = cellsOf(lab.narrow(1, 1, 2));
        const AbGamut& g = abGamut();
        const std::set<int64_t> bins = cellsOf(g.centers);
        int missing = 0;
        for (int64_t b : bins) {
            missing += reached.count(b) == 0;
        }
        int extra = 0;
        for (int64_t r : reached) {
            extra += bins.count(r) == 0;
        }
        qInfo("OpenCV colours: %d bins not reached, %d cells reached outside the bins", missing,
              extra);
        QCOMPARE(missing, 0);
        QCOMPARE(extra, 0);
        // Every real colour quantizes to a bin whose centre is within half a cell.
        auto ab = ourLab(testColors()).narrow(1, 1, 2);
        auto nearest = quantizeAb(g, ab.view({-1, 2, 1, 1})).flatten();
        auto dist = (g.centers.index_select(0, nearest) - ab).abs();
        QVERIFY(dist.max().item<double>() <= 5.0 + 1e-4);
    }

    void softEncodingSumsToOneNearestFirst() {
        const AbGamut& g = abGamut();
        auto ab = ourLab(torch::rand({500, 3}, makeGenerator(3))).narrow(1, 1, 2);
        auto grid = ab.view({5, 10, 10, 2}).permute({0, 3, 1, 2}).contiguous();
        const SoftEncoding enc = softEncode(g, grid, 5, 5.0);
        QCOMPARE(enc.bins.sizes().vec(), (std::vector<int64_t>{5, 5, 10, 10}));
        QVERIFY(torch::allclose(enc.weights.sum(1), torch::ones({5, 10, 10}), 1e-5, 1e-6));
        QVERIFY(
            (enc.weights.narrow(1, 0, 4) >= enc.weights.narrow(1, 1, 4) - 1e-7).all().item<bool>());
        QVERIFY(torch::equal(enc.bins.select(1, 0), quantizeAb(g, grid)));
        // Five different bins per pixel.
        auto sorted = std::get<0>(enc.bins.sort(1));
        QVERIFY((sorted.narrow(1, 1, 4) != sorted.narrow(1, 0, 4)).all().item<bool>());
        // The Gaussian: weight ratio of two bins is exp(-(d1² - d2²) / 2σ²).
        auto c0 = g.centers.index({enc.bins.select(1, 0)}).permute({0, 3, 1, 2});
        auto c1 = g.centers.index({enc.bins.select(1, 1)}).permute({0, 3, 1, 2});
        auto d0 = (grid - c0).pow(2).sum(1), d1 = (grid - c1).pow(2).sum(1);
        auto expected = torch::exp(-(d1 - d0) / 50.0);
        QVERIFY(torch::allclose(enc.weights.select(1, 1) / enc.weights.select(1, 0), expected, 1e-3,
                                1e-5));
    }

    void softEncodingMatchesASearchOverAllBins() {
        const AbGamut& g = abGamut();
        // Anywhere on the plane, inside the gamut or not, at any sub-unit position.
        auto ab = (torch::rand({4, 2, 50, 50}, makeGenerator(12)) - 0.5) * 240.0;
        const SoftEncoding enc = softEncode(g, ab);
        auto points = ab.permute({0, 2, 3, 1}).reshape({-1, 2});
        auto all = torch::cdist(points, g.centers).pow(2); // (P,Q)
        auto brute = std::get<0>(all.topk(5, 1, false, true));
        auto found = all.gather(1, enc.bins.permute({0, 2, 3, 1}).reshape({-1, 5}));
        // The same five distances (ties may pick a different bin at equal distance).
        QVERIFY(torch::allclose(found, brute, 1e-4, 1e-2));
    }

    void rebalancedWeightsHaveExpectationOne() {
        const AbGamut& g = abGamut();
        ColorizationTask task;
        auto stats = task.analyze(makeDemoImages(128, 32, 2));
        const auto& counts = stats->tensors.at("ab_counts");
        QCOMPARE(counts.size(0), g.count());
        for (double lambda : {0.0, 0.25, 0.5, 0.9}) {
            const Rebalancing rb = rebalanceWeights(g, counts, lambda);
            QVERIFY(std::abs(rb.smoothed.sum().item<double>() - 1.0) < 1e-9);
            const double expectation = (rb.smoothed * rb.weights).sum().item<double>();
            QVERIFY2(std::abs(expectation - 1.0) < 1e-9, qPrintable(QString::number(expectation)));
            // Rarer bins weigh more.
            const auto common = rb.smoothed.argmax().item<int64_t>();
            const auto rare = rb.smoothed.argmin().item<int64_t>();
            QVERIFY(rb.weights[rare].item<double>() > rb.weights[common].item<double>());
        }
        // λ = 1 turns rebalancing off.
        const Rebalancing off = rebalanceWeights(g, counts, 1.0);
        QVERIFY(torch::allclose(off.weights, torch::ones_like(off.weights)));
        // No data: uniform weights, not a division by zero.
        const Rebalancing empty =
            rebalanceWeights(g, torch::zeros({g.count()}, torch::kDouble), 0.5);
        QVERIFY(torch::isfinite(empty.weights).all().item<bool>());
    }

    void annealedMeanGoesFromMeanToMode() {
        const AbGamut& g = abGamut();
        auto winner = torch::randint(0, g.count(), {2, 3, 3}, makeGenerator(9), torch::kLong);
        auto logits =
            torch::randn({2, g.count(), 3, 3}, makeGenerator(8)) * 0.5 +
            5.0 * torch::one_hot(winner, g.count()).permute({0, 3, 1, 2}).to(torch::kFloat);
        auto probs = torch::softmax(logits, 1);
        auto mean = torch::einsum("bqhw,qc->bchw", {probs, g.centers});
        QVERIFY(torch::allclose(annealedMean(g, logits, 1.0), mean, 1e-4, 1e-4));
        auto mode = g.centers.index({logits.argmax(1)}).permute({0, 3, 1, 2});
        QVERIFY(torch::allclose(annealedMean(g, logits, 0.01), mode, 1e-3, 1e-2));
        // Lower T, more colourful on average.
        auto chromaOf = [](const torch::Tensor& ab) {
            return ab.pow(2).sum(1).sqrt().mean().item<double>();
        };
        QVERIFY(chromaOf(annealedMean(g, logits, 0.1)) > chromaOf(annealedMean(g, logits, 1.0)));
    }

    void regressionLossIsTheFormulaAndItsGradient() {
        auto target = torch::rand({2, 2, 4, 5}, makeGenerator(1), torch::kDouble) - 0.5;
        auto pred =
            (torch::rand({2, 2, 4, 5}, makeGenerator(2), torch::kDouble) - 0.5).requires_grad_();
        auto loss = colorRegressionLoss(pred, target);
        const double n = 2 * 2 * 4 * 5; // B·H·W·C
        const double formula = (pred - target).pow(2).sum().item<double>() / n;
        QVERIFY(std::abs(loss.item<double>() - formula) < 1e-12);
        loss.backward();
        QVERIFY(torch::allclose(pred.grad(), 2.0 / n * (pred.detach() - target), 1e-12, 1e-14));
    }

    void classLossIsWeightedCrossEntropy() {
        const AbGamut& g = abGamut();
        auto ab = ourLab(torch::rand({8, 3}, makeGenerator(5))).narrow(1, 1, 2);
        auto grid = ab.view({2, 2, 2, 2}).permute({0, 3, 1, 2}).contiguous().to(torch::kDouble);
        SoftEncoding enc = softEncode(g, grid.to(torch::kFloat));
        enc.weights = enc.weights.to(torch::kDouble);
        enc.weights = enc.weights / enc.weights.sum(1, true); // exactly 1 in double precision
        auto v = torch::rand({2, 2, 2}, makeGenerator(6), torch::kDouble) + 0.5;
        auto logits =
            torch::randn({2, g.count(), 2, 2}, makeGenerator(7), torch::kDouble).requires_grad_();
        auto loss = colorClassLoss(logits, enc, v);
        // Dense soft target Z and the formula, pixel by pixel.
        auto z =
            torch::zeros({2, g.count(), 2, 2}, torch::kDouble).scatter_(1, enc.bins, enc.weights);
        auto logp = torch::log_softmax(logits.detach(), 1);
        const double formula = (v * -(z * logp).sum(1)).sum().item<double>() / 8.0;
        QVERIFY(std::abs(loss.item<double>() - formula) < 1e-10);
        loss.backward();
        // ∂L/∂logits = v (softmax − Z) / P, since Z sums to 1.
        auto expected = v.unsqueeze(1) * (torch::softmax(logits.detach(), 1) - z) / 8.0;
        QVERIFY(torch::allclose(logits.grad(), expected, 1e-9, 1e-12));
    }

    void grayscaleImagesAreSkipped() {
        ColorizationTask task;
        auto color = makeDemoImages(70, 32, 9);
        auto stats0 = task.analyze(color);
        const int64_t colored = stats0->usableCount(70);
        auto gray = color.narrow(0, 0, 10).mean(1, true).expand({-1, 3, -1, -1}).contiguous();
        auto mixed = torch::cat({color, gray});
        auto stats = task.analyze(mixed);
        QCOMPARE(stats->usableCount(80), colored);
        QVERIFY(!stats->usable.narrow(0, 70, 10).any().item<bool>());
        QVERIFY2(QString::fromStdString(stats->note).contains(QStringLiteral("grayscale")),
                 stats->note.c_str());
        TrainConfig cfg;
        cfg.task = "colorization";
        cfg.device = "cpu";
        cfg.batchSize = 8;
        Trainer trainer(cfg, mixed);
        QCOMPARE(trainer.usableImages(), colored);
        trainer.step();
        // Nothing but gray: a clear refusal.
        try {
            Trainer none(cfg, gray);
            QFAIL("a gray-only set was accepted");
        } catch (const TrainingError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("grayscale")), e.what());
        }
    }

    void displayTemperatureRedecodesWithoutTraining() {
        TrainConfig cfg;
        cfg.task = "colorization";
        cfg.device = "cpu";
        cfg.batchSize = 8;
        Trainer trainer(cfg, makeDemoImages(16, 32, 2));
        trainer.step();
        auto cold = trainer.heldOutResults();
        trainer.setDisplayParam("temperature", 1.0);
        ColorizationTask task;
        auto warm = task.resultColumns(trainer.heldOutBatch(), trainer.lastHeldOutOutput(),
                                       trainer.config().params);
        QCOMPARE(trainer.stepCount(), 1);
        QVERIFY(QString::fromStdString(warm[1].title).contains(QStringLiteral("1.00")));
        QVERIFY(!torch::equal(cold[1].images, warm[1].images));
        QVERIFY_EXCEPTION_THROWN(trainer.setDisplayParam("lambda", 0.1), TrainingError);
    }

    void shortTrainingLowersTheLoss_data() {
        QTest::addColumn<QString>("mode");
        QTest::newRow("regression") << "regression";
        QTest::newRow("classes") << "classes";
    }

    void shortTrainingLowersTheLoss() {
        QFETCH(QString, mode);
        TrainConfig cfg;
        cfg.task = "colorization";
        cfg.params = {{"mode", mode == QLatin1String("classes") ? 1.0 : 0.0},
                      {"base_channels", 16.0}};
        cfg.device = "cpu";
        cfg.batchSize = 16;
        cfg.learningRate = ColorizationTask().info().learningRate;
        cfg.seed = 3;
        Trainer trainer(cfg, makeDemoImages(256, 32, 5));
        const double before = trainer.heldOutLoss();
        const int steps = 60;
        for (int i = 0; i < steps; ++i) {
            trainer.step();
        }
        const Evaluation after = trainer.evaluate();
        qInfo("%s: held-out loss %.4f -> %.4f after %d steps, ab error %.2f, chroma ratio %.2f",
              qPrintable(mode), before, after.loss, steps, after.metrics.at("ab_error"),
              after.metrics.at("chroma_ratio"));
        QVERIFY2(after.loss < 0.9 * before,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after.loss)));
    }
};

QTEST_GUILESS_MAIN(TestColorization)
#include "test_colorization.moc"
