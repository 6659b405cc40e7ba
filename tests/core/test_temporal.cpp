// Temporal order in engine/core: windows and motion, tuples, order classes, losses,
// the procedural video, and learning on it.
#include "DemoVideo.h"
#include "Rng.h"
#include "Trainer.h"
#include "Video.h"
#include "tasks/temporal/TemporalOrderTask.h"
#include "tasks/temporal/Tuples.h"

#include <QtTest>
#include <torch/torch.h>

#include <set>

using namespace pretext;

namespace {
// A video whose frame i is flat grey at level (i % 100) / 100, so a frame's value
// says which frame it is; motion everywhere except where `still` is set.
VideoFrames numberedVideo(const std::vector<int64_t>& lengths, int size = 16) {
    VideoFrames v;
    int64_t next = 0;
    for (size_t k = 0; k < lengths.size(); ++k) {
        auto ids = torch::arange(next, next + lengths[k], torch::kFloat);
        auto frames = ids.remainder(100)
                          .div(100)
                          .view({-1, 1, 1, 1})
                          .expand({lengths[k], 3, size, size})
                          .clone();
        appendVideo(v, frames, "video " + std::to_string(k));
        next += lengths[k];
    }
    return v;
}

int64_t frameId(const torch::Tensor& frame) {
    return static_cast<int64_t>(std::lround(frame.mean().item<double>() * 100));
}

ParamValues sortParams(int frames, int spacing) {
    return {{"variant", 1},
            {"frames", frames},
            {"spacing", spacing},
            {"motion_filter", 1},
            {"min_motion", 0.0}};
}
} // namespace

class TestTemporal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void orderClassesPairReverses_data() {
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("classes");
        QTest::newRow("T = 2") << 2 << 1;
        QTest::newRow("T = 3") << 3 << 3;
        QTest::newRow("T = 4") << 4 << 12;
        QTest::newRow("T = 5") << 5 << 60;
    }

    void orderClassesPairReverses() {
        QFETCH(int, frames);
        QFETCH(int, classes);
        const OrderClasses c = makeOrderClasses(frames);
        QCOMPARE(c.classCount(), classes); // T!/2
        QCOMPARE(static_cast<int>(c.perms.size()), 2 * classes);
        std::vector<int> members(static_cast<size_t>(classes), 0);
        for (size_t i = 0; i < c.perms.size(); ++i) {
            const auto& p = c.perms[i];
            std::vector<int> timeReversed(p.size());
            std::transform(p.begin(), p.end(), timeReversed.begin(),
                           [&](int t) { return frames - 1 - t; });
            QCOMPARE(c.classOfOrder(timeReversed), c.classOf[i]);
            QVERIFY(timeReversed != p);
            ++members[static_cast<size_t>(c.classOf[i])];
        }
        for (int m : members) {
            QCOMPARE(m, 2); // exactly an order and its reverse
        }
        // The sorted sequence and the same sequence backwards: one class.
        std::vector<int> forward(static_cast<size_t>(frames));
        std::iota(forward.begin(), forward.end(), 0);
        std::vector<int> backward(forward.rbegin(), forward.rend());
        QCOMPARE(c.classOfOrder(forward), c.classOfOrder(backward));
        QCOMPARE(c.classOfOrder({0}), -1);
    }

    void tooManyFramesIsRefused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeOrderClasses(7));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeOrderClasses(1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, orderClasses(7));
        QCOMPARE(&orderClasses(4), &orderClasses(4)); // made once, shared
        QCOMPARE(orderClasses(4).perms, makeOrderClasses(4).perms);
    }

    void verifyTuplesFollowMisra() {
        auto g = makeGenerator(3);
        const VerifyTuples t = sampleVerifyTuples(4000, g);
        QCOMPARE(t.positions.sizes(), (torch::IntArrayRef{4000, 3}));
        int64_t positives = 0, fromA = 0, fromE = 0;
        for (int64_t i = 0; i < 4000; ++i) {
            const int64_t first = t.positions[i][0].item<int64_t>(),
                          mid = t.positions[i][1].item<int64_t>(),
                          last = t.positions[i][2].item<int64_t>();
            // b and d at the ends, in either direction; the middle c, a or e.
            QVERIFY((first == 1 && last == 3) || (first == 3 && last == 1));
            QVERIFY(mid == 2 || mid == 0 || mid == 4);
            const bool between = mid > std::min(first, last) && mid < std::max(first, last);
            QCOMPARE(t.inOrder[i].item<float>() > 0.5f, between);
            positives += between;
            fromA += mid == 0;
            fromE += mid == 4;
        }
        // Half positive, the negatives split between (b,a,d) and (b,e,d).
        QVERIFY(std::abs(positives - 2000) < 150);
        QVERIFY(std::abs(fromA - 1000) < 120);
        QVERIFY(std::abs(fromE - 1000) < 120);
        auto g2 = makeGenerator(3);
        QVERIFY(torch::equal(sampleVerifyTuples(4000, g2).positions, t.positions));
    }

    void sortTuplesAreOrdersWithTheirClass() {
        const OrderClasses c = makeOrderClasses(4);
        auto g = makeGenerator(5);
        const SortTuples t = sampleSortTuples(500, c, g);
        std::set<std::vector<int>> seen;
        for (int64_t i = 0; i < 500; ++i) {
            std::vector<int> order;
            for (int64_t k = 0; k < 4; ++k) {
                order.push_back(static_cast<int>(t.perms[i][k].item<int64_t>()));
            }
            QCOMPARE(c.classOfOrder(order), static_cast<int>(t.classes[i].item<int64_t>()));
            seen.insert(order);
        }
        QCOMPARE(static_cast<int>(seen.size()), 24); // every order drawn
    }

    void batchesTakeTheFramesAsSpecified_data() {
        QTest::addColumn<int>("variant");
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("spacing");
        QTest::newRow("verify, spacing 1") << 0 << 5 << 1;
        QTest::newRow("verify, spacing 3") << 0 << 5 << 3;
        QTest::newRow("sort T=3, spacing 2") << 1 << 3 << 2;
        QTest::newRow("sort T=4, spacing 4") << 1 << 4 << 4;
    }

    void batchesTakeTheFramesAsSpecified() {
        QFETCH(int, variant);
        QFETCH(int, frames);
        QFETCH(int, spacing);
        TemporalOrderTask task;
        ParamValues p = withDefaults(task.info(), sortParams(frames, spacing));
        p["variant"] = variant;
        const WindowSpec w = task.windows(p);
        QCOMPARE(w.length, static_cast<int64_t>((frames - 1) * spacing + 1));
        const VideoFrames video = numberedVideo({90});
        const WindowPlan plan = planWindows(video, w);
        auto starts = plan.trainStarts().narrow(0, 0, 16);
        BatchContext ctx{p, makeGenerator(9), torch::full({3}, 0.5), 9, nullptr};
        const Batch b = task.makeBatch(gatherWindows(video.frames, starts, w.length), ctx);
        // The network sees each frame minus the tuple's mean frame.
        auto shown = b.extras.at("shown");
        QVERIFY(torch::allclose(b.input, shown - shown.mean(1, true)));
        for (int64_t i = 0; i < 16; ++i) {
            const int64_t s = starts[i].item<int64_t>();
            for (int64_t k = 0; k < b.input.size(1); ++k) {
                // The frame shown at position k is the window's frame `place * spacing`.
                const int64_t place = variant == 0 ? b.extras.at("positions")[i][k].item<int64_t>()
                                                   : b.extras.at("perms")[i][k].item<int64_t>();
                QVERIFY(place >= 0 && place < frames);
                QCOMPARE(frameId(b.extras.at("shown")[i][k]), s + place * spacing);
                QVERIFY(s + place * spacing < s + w.length); // inside the window
            }
        }
    }

    void windowsRespectVideosMotionAndTheHeldOutCut() {
        // Two videos; in the first, frames 20..49 are identical (no motion).
        VideoFrames video = numberedVideo({120, 80});
        video.frames.narrow(0, 20, 30).fill_(0.2);
        video.motion[kMotionDifference] = frameDifferenceMotion(video.frames, video.starts);
        const WindowPlan plan = planWindows(video, {5, 0.5, kMotionDifference});
        const auto starts = plan.starts, vid = plan.video;
        for (int64_t w = 0; w < starts.size(0); ++w) {
            const int64_t s = starts[w].item<int64_t>(), v = vid[w].item<int64_t>();
            QVERIFY(s >= video.starts[static_cast<size_t>(v)] && s + 5 <= video.videoEnd(v));
            const bool still = s >= 20 && s + 5 <= 50; // every frame after the first unchanged
            if (still) {
                QVERIFY(!plan.moving[w].item<bool>());
                QVERIFY(!plan.train[w].item<bool>() && !plan.heldOut[w].item<bool>());
            }
            QVERIFY(!(plan.train[w].item<bool>() && plan.heldOut[w].item<bool>()));
        }
        QVERIFY(plan.trainCount() > 0 && plan.heldOutCount() > 0);
        // No frame is in both a training and a held-out window.
        std::set<int64_t> trainFrames, heldFrames;
        for (int64_t w = 0; w < starts.size(0); ++w) {
            for (int64_t f = 0; f < 5; ++f) {
                if (plan.train[w].item<bool>()) {
                    trainFrames.insert(starts[w].item<int64_t>() + f);
                }
                if (plan.heldOut[w].item<bool>()) {
                    heldFrames.insert(starts[w].item<int64_t>() + f);
                }
            }
        }
        for (int64_t f : heldFrames) {
            QVERIFY(!trainFrames.count(f));
        }
        // A higher threshold uses fewer windows; one above all motion none.
        QVERIFY(planWindows(video, {5, 50.0, kMotionDifference}).trainCount() == 0);
        QVERIFY(QString::fromStdString(plan.note()).contains("reach the motion threshold"));
    }

    void demoVideoIsDeterministicAndHasPauses() {
        const VideoFrames a = makeDemoVideo(2, 120, 32, 4);
        const VideoFrames b = makeDemoVideo(2, 120, 32, 4);
        QCOMPARE(a.frameCount(), static_cast<int64_t>(240));
        QCOMPARE(a.videoCount(), static_cast<int64_t>(2));
        QVERIFY(torch::equal(a.frames, b.frames));
        QVERIFY(!torch::equal(a.frames, makeDemoVideo(2, 120, 32, 5).frames));
        const auto& motion = a.motion.at(kMotionDifference);
        QVERIFY((motion > 0.3).sum().item<int64_t>() > 150); // mostly moving
        QVERIFY((motion < 1e-6).sum().item<int64_t>() > 10); // and pauses
        const WindowPlan plan = planWindows(a, {7, 1.0, kMotionDifference});
        QVERIFY(plan.trainCount() > 0);
        QVERIFY(plan.moving.logical_not().sum().item<int64_t>() > 0);
        const auto timeline = drawMotionTimeline(a, plan);
        QCOMPARE(timeline.size(0), static_cast<int64_t>(3));
        QVERIFY(timeline.min().item<float>() >= 0.0f && timeline.max().item<float>() <= 1.0f);
    }

    void lossesAreTheFormulas() {
        TemporalOrderTask task;
        const VideoFrames video = numberedVideo({60});
        // Position head: −Σₜ log p(π⁻¹ₜ | X^π), averaged over the batch.
        ParamValues p = withDefaults(task.info(), sortParams(3, 1));
        p["head"] = 1;
        BatchContext ctx{p, makeGenerator(2), torch::full({3}, 0.5), 2, nullptr};
        const Batch b =
            task.makeBatch(gatherWindows(video.frames, torch::arange(0, 8, torch::kLong), 3), ctx);
        auto logits = torch::randn({8, 3, 3});
        const double expected = [&] {
            auto logp = torch::log_softmax(logits, 2);
            double sum = 0;
            for (int64_t i = 0; i < 8; ++i) {
                for (int64_t t = 0; t < 3; ++t) {
                    sum -= logp[i][t][b.extras.at("perms")[i][t].item<int64_t>()].item<double>();
                }
            }
            return sum / 8;
        }();
        QVERIFY(std::abs(task.loss(logits, b, p).loss.item<double>() - expected) < 1e-5);
        // Verification: binary cross-entropy on "in order".
        ParamValues v = withDefaults(
            task.info(),
            {{"variant", 0}, {"spacing", 1}, {"motion_filter", 1}, {"min_motion", 0.0}});
        BatchContext vctx{v, makeGenerator(2), torch::full({3}, 0.5), 2, nullptr};
        const Batch vb =
            task.makeBatch(gatherWindows(video.frames, torch::arange(0, 8, torch::kLong), 5), vctx);
        auto logit = torch::randn({8, 1});
        double bce = 0;
        for (int64_t i = 0; i < 8; ++i) {
            const double y = vb.target[i].item<double>();
            const double q = 1.0 / (1.0 + std::exp(-logit[i][0].item<double>()));
            bce -= (y * std::log(q) + (1 - y) * std::log(1 - q)) / 8;
        }
        QVERIFY(std::abs(task.loss(logit, vb, v).loss.item<double>() - bce) < 1e-5);
        // A model that names the right class scores 1; reading a class backwards is right too.
        ParamValues c = withDefaults(task.info(), sortParams(4, 1));
        BatchContext cctx{c, makeGenerator(2), torch::full({3}, 0.5), 2, nullptr};
        const Batch cb =
            task.makeBatch(gatherWindows(video.frames, torch::arange(0, 8, torch::kLong), 4), cctx);
        auto perfect = torch::nn::functional::one_hot(cb.target, 12).to(torch::kFloat).mul(10);
        const LossOutput lo = task.loss(perfect, cb, c);
        QCOMPARE(lo.metrics.at("accuracy"), 1.0);
        QCOMPARE(lo.metrics.at("frame_accuracy"), 1.0);
    }

    void stillImagesAndAStillVideoAreRefused() {
        TrainConfig cfg;
        cfg.task = "temporal-order";
        try {
            Trainer t(cfg, torch::rand({8, 3, 16, 16}));
            QFAIL("still images were accepted");
        } catch (const TrainingError& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains("video"));
        }
        VideoFrames still = numberedVideo({40});
        still.frames.fill_(0.5);
        still.motion[kMotionDifference] = frameDifferenceMotion(still.frames, still.starts);
        try {
            Trainer t(cfg, still);
            QFAIL("a video without motion was accepted");
        } catch (const TrainingError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("motion filter"), e.what());
        }
    }

    void learnsTheOrderOnTheDemoVideo_data() {
        QTest::addColumn<int>("variant");
        QTest::addColumn<int>("steps");
        QTest::addColumn<double>("chance");
        QTest::newRow("verify") << 0 << 100 << 0.5;
        QTest::newRow("sort, T = 3 classes") << 1 << 100 << 1.0 / 3.0;
    }

    void learnsTheOrderOnTheDemoVideo() {
        QFETCH(int, variant);
        QFETCH(int, steps);
        QFETCH(double, chance);
        const VideoFrames video = makeDemoVideo(kDemoVideoCount, kDemoVideoFrames, 32, 1);
        TrainConfig cfg;
        cfg.task = "temporal-order";
        cfg.params = {{"variant", variant}, {"frames", 3}, {"base_channels", 16}};
        cfg.learningRate = TemporalOrderTask().info().learningRate;
        cfg.batchSize = 32;
        cfg.seed = 3;
        cfg.device = "cpu";
        Trainer trainer(cfg, video);
        const double before = trainer.evaluate().metrics.at("accuracy");
        for (int i = 0; i < steps; ++i) {
            trainer.step();
        }
        const Evaluation after = trainer.evaluate();
        qInfo("held-out accuracy %.3f -> %.3f (chance %.3f) after %d steps", before,
              after.metrics.at("accuracy"), chance, steps);
        QVERIFY(after.metrics.at("accuracy") > chance + 0.25);
    }
};

QTEST_GUILESS_MAIN(TestTemporal)
#include "test_temporal.moc"
