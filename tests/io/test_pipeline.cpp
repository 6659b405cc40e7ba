// The streaming input pipeline: the index, epochs that cover every file once, samples
// that do not depend on the number of decode threads, an exact resume mid-epoch, the
// augmentation's ranges, a streamed set that keeps nothing, files that vanish or change
// during training, and the relative motion filter on a real video.
#include "Augment.h"
#include "DecodePool.h"
#include "ImageFileSource.h"
#include "ImageIndex.h"
#include "Trainer.h"
#include "VideoLoader.h"

#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace pretext;
namespace fs = std::filesystem;

namespace {
// `count` JPEGs of varied sizes (textured, so crops differ), in two subfolders.
std::vector<std::string> writeImages(const QTemporaryDir& dir, int count) {
    std::vector<std::string> paths;
    cv::RNG rng(7);
    for (int i = 0; i < count; ++i) {
        const int w = 48 + (i * 37) % 150, h = 40 + (i * 53) % 130;
        cv::Mat image(h, w, CV_8UC3);
        rng.fill(image, cv::RNG::UNIFORM, 0, 255);
        cv::circle(image, {w / 3, h / 2}, std::min(w, h) / 4, cv::Scalar(i % 255, 40, 200), -1);
        const QString sub = i % 2 ? QStringLiteral("b") : QStringLiteral("a");
        QDir(dir.path()).mkpath(sub);
        const std::string path =
            dir.filePath(QStringLiteral("%1/img%2.jpg").arg(sub).arg(i, 4, 10, QLatin1Char('0')))
                .toStdString();
        cv::imwrite(path, image);
        paths.push_back(path);
    }
    return paths;
}

// A source that records what the trainer asks of it.
class Recording : public SampleSource {
public:
    explicit Recording(std::shared_ptr<SampleSource> inner) : m_inner(std::move(inner)) {}
    int64_t trainCount() const override { return m_inner->trainCount(); }
    int64_t sizePx() const override { return m_inner->sizePx(); }
    void setAugment(const AugmentSpec& s, uint64_t seed) override { m_inner->setAugment(s, seed); }
    torch::Tensor fetch(const std::vector<SampleRequest>& r) override {
        requests.insert(requests.end(), r.begin(), r.end());
        return m_inner->fetch(r);
    }
    void prefetch(const std::vector<SampleRequest>& r) override { m_inner->prefetch(r); }
    torch::Tensor sampleWith(const std::vector<SampleRequest>& r, const AugmentSpec& s,
                             uint64_t seed) override {
        return m_inner->sampleWith(r, s, seed);
    }
    torch::Tensor heldOut() override { return m_inner->heldOut(); }
    torch::Tensor spread(int64_t n) override { return m_inner->spread(n); }
    std::vector<SkippedSample> skipped() const override { return m_inner->skipped(); }
    std::string describe() const override { return m_inner->describe(); }
    std::vector<SampleRequest> requests;

private:
    std::shared_ptr<SampleSource> m_inner;
};

std::shared_ptr<io::ImageFileSource> makeSource(const std::vector<std::string>& roots, int threads,
                                                const std::string& mode = "auto", int size = 32) {
    io::FileSourceOptions o;
    o.sizePx = size;
    o.threads = threads;
    o.mode = mode;
    return std::make_shared<io::ImageFileSource>(io::indexImages(roots), o);
}

TrainConfig smallConfig() {
    TrainConfig cfg;
    cfg.task = "rotation";
    cfg.params = {{"base_channels", 8}};
    cfg.batchSize = 8;
    cfg.seed = 5;
    cfg.device = "cpu";
    cfg.convRoute = "libtorch";
    cfg.augment = augmentPreset("crop-flip");
    return cfg;
}

std::vector<torch::Tensor> parameters(Trainer& t) {
    std::vector<torch::Tensor> out;
    for (const auto& p : t.model().parameters()) {
        out.push_back(p.detach().clone());
    }
    return out;
}
} // namespace

class TestPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void indexReadsHeadersListsAndNamesBadFiles() {
        QTemporaryDir dir;
        const auto paths = writeImages(dir, 40);
        {
            std::ofstream bad(dir.filePath("a/broken.jpg").toStdString());
            bad << "not an image";
        }
        const io::ImageIndex index = io::indexImages({dir.path().toStdString()}, {}, 3);
        QCOMPARE(index.images.size(), size_t{40});
        QCOMPARE(index.skipped.size(), size_t{1});
        QVERIFY(index.skipped[0].path.find("broken.jpg") != std::string::npos);
        for (const auto& e : index.images) {
            const cv::Mat m = cv::imread(e.path);
            QCOMPARE(e.width, m.cols);
            QCOMPARE(e.height, m.rows);
        }
        // A list of paths, relative to the list's folder, with comments and blank lines.
        const QString list = dir.filePath("set.txt");
        {
            std::ofstream out(list.toStdString());
            out << "# three of them\n"
                << fs::relative(paths[0], dir.path().toStdString()).string() << "\n\n"
                << paths[1] << "\n"
                << paths[2] << "\nmissing.jpg\n";
        }
        const io::ImageIndex listed = io::indexImages({list.toStdString()});
        QCOMPARE(listed.images.size(), size_t{3});
        QCOMPARE(listed.skipped.size(), size_t{1});
        QVERIFY(listed.skipped[0].reason.find("does not exist") != std::string::npos);
    }

    void everyFileOncePerEpoch() {
        QTemporaryDir dir;
        writeImages(dir, 100); // 12 held out, 88 for training: 11 batches of 8
        auto recording = std::make_shared<Recording>(makeSource({dir.path().toStdString()}, 2));
        QCOMPARE(recording->trainCount(), int64_t{88});
        Trainer trainer(smallConfig(), recording);
        QCOMPARE(recording->heldOut().size(0), int64_t{12}); // an eighth, spread over the set
        for (int s = 0; s < 22; ++s) {
            trainer.step();
        }
        QCOMPARE(trainer.epoch(), int64_t{2});
        QCOMPARE(recording->requests.size(), size_t{176});
        for (int epoch = 0; epoch < 2; ++epoch) {
            std::set<int64_t> seen;
            std::set<uint64_t> keys;
            for (size_t i = 0; i < 88; ++i) {
                const auto& r = recording->requests[static_cast<size_t>(epoch) * 88 + i];
                seen.insert(r.index);
                keys.insert(r.key);
            }
            QCOMPARE(seen.size(), size_t{88}); // every training file once, none twice
            QCOMPARE(keys.size(), size_t{88});
        }
    }

    void samplesDoNotDependOnTheThreadCount() {
        QTemporaryDir dir;
        writeImages(dir, 30);
        std::vector<SampleRequest> requests;
        for (int64_t i = 0; i < 24; ++i) {
            requests.push_back({(i * 7) % 30, static_cast<uint64_t>(1000 + i)});
        }
        torch::Tensor reference;
        for (int threads : {1, 2, 4}) {
            for (const char* mode : {"stream", "cache"}) {
                auto source = makeSource({dir.path().toStdString()}, threads, mode);
                source->setAugment(augmentPreset("crop-flip"), 11);
                source->prefetch({requests.begin(), requests.begin() + 8});
                const torch::Tensor batch = source->fetch(requests);
                QCOMPARE(batch.sizes(), (torch::IntArrayRef{24, 3, 32, 32}));
                if (!reference.defined()) {
                    reference = batch;
                } else if (std::string(mode) == "stream") {
                    QVERIFY(torch::equal(batch, reference));
                } else {
                    // The cache keeps images at twice the training size: the same crops,
                    // resampled once more.
                    QVERIFY((batch - reference).abs().mean().item<double>() < 0.03);
                }
            }
        }
        // Other keys draw other crops.
        auto source = makeSource({dir.path().toStdString()}, 2, "stream");
        source->setAugment(augmentPreset("crop-flip"), 12);
        QVERIFY(!torch::equal(source->fetch(requests), reference));
    }

    void resumesExactlyMidEpoch() {
        QTemporaryDir dir;
        writeImages(dir, 100);
        const std::string root = dir.path().toStdString();
        Trainer straight(smallConfig(), makeSource({root}, 2, "stream"));
        for (int s = 0; s < 5; ++s) {
            straight.step();
        }
        const std::string bytes = straight.checkpointBytes();
        QCOMPARE(straight.epochPosition(), int64_t{40}); // mid-epoch
        for (int s = 0; s < 9; ++s) {                    // across the epoch's end
            straight.step();
        }
        // Another process: another source (three threads) and trainer, from the bytes.
        Trainer resumed(smallConfig(), makeSource({root}, 3, "stream"));
        resumed.loadCheckpoint(bytes);
        QCOMPARE(resumed.epochPosition(), int64_t{40});
        for (int s = 0; s < 9; ++s) {
            resumed.step();
        }
        const auto a = parameters(straight), b = parameters(resumed);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY(torch::equal(a[i], b[i]));
        }
    }

    void augmentationStaysInItsRanges() {
        const AugmentSpec spec = augmentPreset("crop-flip-jitter");
        int flips = 0;
        for (uint64_t key = 0; key < 4000; ++key) {
            const int64_t w = 64 + static_cast<int64_t>(key % 300),
                          h = 48 + static_cast<int64_t>(key % 170);
            const AugmentDraw d = drawAugment(spec, 3, key, w, h);
            const double area = d.w * d.h;
            const double ratio = (d.w * w) / (d.h * h);
            // At least the smallest area asked for; or, for an image too elongated for the
            // allowed aspect ratios, torchvision's fallback: the largest centred crop at the
            // nearest allowed ratio, which spans the image's whole width or height.
            const bool fallback = (d.w > 1.0 - 1e-9 || d.h > 1.0 - 1e-9) &&
                                  std::abs(d.x - (1.0 - d.w) / 2) < 1e-6 &&
                                  std::abs(d.y - (1.0 - d.h) / 2) < 1e-6;
            QVERIFY2((area >= spec.minScale * 0.9 || fallback) && area <= 1.0 + 1e-9,
                     qPrintable(QString::number(area)));
            // Rounding to whole pixels, or the fallback's clamped ratio.
            QVERIFY(ratio >= spec.minRatio * 0.9 && ratio <= spec.maxRatio * 1.1);
            QVERIFY(d.x >= 0 && d.y >= 0 && d.x + d.w <= 1.0 + 1e-9 && d.y + d.h <= 1.0 + 1e-9);
            for (float f : {d.brightness, d.contrast, d.saturation}) {
                QVERIFY(f >= 1.0f - 0.4f - 1e-6f && f <= 1.0f + 0.4f + 1e-6f);
            }
            flips += d.flip ? 1 : 0;
            const AugmentDraw again = drawAugment(spec, 3, key, w, h);
            QCOMPARE(again.x, d.x);
            QCOMPARE(again.flip, d.flip);
        }
        QVERIFY(flips > 1800 && flips < 2200);
        // Off: the centre square, always.
        const AugmentDraw centre = drawAugment(augmentPreset("off"), 3, 9, 200, 100);
        QCOMPARE(centre.w, 0.5);
        QCOMPARE(centre.h, 1.0);
        QCOMPARE(centre.x, 0.25);
        QVERIFY(!centre.flip);
        // Tensor crops keep the shape, the range, and a clip's frames together.
        auto clips = torch::rand({4, 3, 3, 32, 32});
        clips.select(1, 1).copy_(clips.select(1, 0));
        std::vector<AugmentDraw> draws;
        for (uint64_t k = 0; k < 4; ++k) {
            draws.push_back(drawAugment(spec, 1, k, 32, 32));
        }
        const auto out = cropAndFlip(clips, draws, 32);
        QCOMPARE(out.sizes(), clips.sizes());
        QVERIFY(torch::equal(out.select(1, 0), out.select(1, 1)));
        const auto jittered = colourJitter(out, draws);
        QVERIFY(jittered.min().item<float>() >= 0.0f && jittered.max().item<float>() <= 1.0f);
        // Colorization never gets colour jitter (its target is the colour).
        QTemporaryDir dir;
        writeImages(dir, 20);
        TrainConfig cfg = smallConfig();
        cfg.task = "colorization";
        cfg.params = {};
        cfg.augment = spec;
        Trainer colour(cfg, makeSource({dir.path().toStdString()}, 1));
        QCOMPARE(colour.config().augment.jitter, 0.0);
    }

    void aStreamedSetKeepsNothing() {
        QTemporaryDir dir;
        writeImages(dir, 80);
        io::FileSourceOptions o;
        o.sizePx = 32;
        o.threads = 2;
        o.cacheBudgetBytes = 1 << 16; // far too small: auto streams
        auto source =
            std::make_shared<io::ImageFileSource>(io::indexImages({dir.path().toStdString()}), o);
        QVERIFY(!source->cached());
        QVERIFY(QString::fromStdString(source->describe()).startsWith("streamed"));
        Trainer trainer(smallConfig(), source);
        for (int s = 0; s < 20; ++s) {
            trainer.step();
        }
        const io::PipelineStats stats = source->stats();
        QCOMPARE(stats.cachedBytes, int64_t{0});
        QCOMPARE(stats.fromCache, int64_t{0});
        QVERIFY(stats.decoded >= 160);
        // A set that fits is cached after its first decode, and read from memory then.
        auto cached = makeSource({dir.path().toStdString()}, 2);
        QVERIFY(cached->cached());
        Trainer again(smallConfig(), cached);
        for (int s = 0; s < 20; ++s) {
            again.step();
        }
        QVERIFY(cached->stats().fromCache > 0);
        QVERIFY(cached->stats().cachedBytes > 0);
    }

    void filesRemovedOrChangedDuringTrainingAreSkipped() {
        QTemporaryDir dir;
        const auto paths = writeImages(dir, 100);
        auto source = makeSource({dir.path().toStdString()}, 2, "stream");
        Trainer trainer(smallConfig(), source);
        trainer.step();
        // Three training files go, one changes.
        std::set<std::string> gone;
        for (int64_t i : {3, 40, 77}) {
            gone.insert(source->trainPath(i));
            fs::remove(source->trainPath(i));
        }
        {
            std::ofstream changed(source->trainPath(50), std::ios::app | std::ios::binary);
            changed << "appended";
        }
        for (int s = 0; s < 22; ++s) { // two epochs: every file is met
            const StepResult r = trainer.step();
            QVERIFY(std::isfinite(r.loss));
        }
        const auto skipped = source->skipped();
        QCOMPARE(skipped.size(), size_t{4});
        for (const auto& s : skipped) {
            if (gone.count(s.path)) {
                QVERIFY(s.reason.find("vanished") != std::string::npos);
            } else {
                QCOMPARE(s.path, source->trainPath(50));
                QVERIFY(s.reason.find("changed") != std::string::npos);
            }
        }
        // Nothing left to read: a clear error, not a hang.
        for (const auto& p : paths) {
            fs::remove(p);
        }
        try {
            for (int s = 0; s < 12; ++s) {
                trainer.step();
            }
            QFAIL("training went on without a file");
        } catch (const std::exception& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("no file of the set"), e.what());
        }
    }

    void aStalledJobIsGivenUpOnAndItsThreadReplaced() {
        io::DecodePool pool(1);
        auto release = std::make_shared<std::atomic<bool>>(false); // outlives this test
        std::atomic<int64_t> beat{0};
        // No progress: given up after the limit, and the pool still has a thread at work.
        auto stuck = pool.submit<int>([release] {
            while (!*release) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            return 1;
        });
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!pool.await(stuck, 0.3, &beat).has_value());
        QVERIFY(timer.elapsed() >= 280);
        QCOMPARE(pool.stalled(), 1);
        QCOMPARE(pool.threads(), 1);
        auto next = pool.submit<int>([] { return 7; });
        QCOMPARE(pool.await(next, 5.0).value_or(0), 7);
        // A job that takes longer than the limit but keeps beating is waited for.
        auto slow = pool.submit<int>([&] {
            for (int i = 0; i < 12; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                ++beat;
            }
            return 9;
        });
        QCOMPARE(pool.await(slow, 0.3, &beat).value_or(0), 9);
        *release = true;
    }

    void relativeMotionFilterOnARealVideo() {
        // A real street scene (static camera, people walking) from Debian's opencv-doc.
        const std::string path = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
        if (!fs::exists(path)) {
            QSKIP("opencv-doc is not installed (the set-up command installs it)");
        }
        io::VideoOptions o;
        o.sizePx = 32;
        o.opticalFlow = false;
        const io::VideoLoad load = io::loadVideos({path}, o);
        QVERIFY(load.video.frameCount() > 700);
        WindowSpec absolute{7, 1.0, kMotionDifference};
        const WindowPlan fixed = planWindows(load.video, absolute);
        WindowSpec relative = absolute;
        relative.relative = true;
        relative.keep = 0.5;
        const WindowPlan own = planWindows(load.video, relative);
        // The demo-tuned threshold leaves (almost) nothing; the relative filter keeps half.
        QVERIFY2(fixed.trainCount() < own.trainCount() / 4, fixed.note().c_str());
        const double kept = own.moving.sum().item<double>() / own.starts.size(0);
        QVERIFY2(kept > 0.45 && kept < 0.55, own.note().c_str());
        QVERIFY(own.trainCount() > 0 && own.heldOutCount() > 0);
        QVERIFY(QString::fromStdString(own.note()).contains("top 50% by motion"));
        // The kept windows move more than the dropped ones.
        const auto keptScore = own.score.masked_select(own.moving).mean().item<double>();
        const auto droppedScore =
            own.score.masked_select(own.moving.logical_not()).mean().item<double>();
        QVERIFY(keptScore > droppedScore);
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "test_pipeline.moc"
