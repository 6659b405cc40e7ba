// Video decoding in engine/io: the index pass (frames, stride, memory budget, motion,
// bad files, a decoder that hangs), and a set read clip by clip (the same frames as the
// cache, seeks and reading on, files that vanish during training, training and an exact
// resume on it).
#include "DemoVideo.h"
#include "Trainer.h"
#include "VideoClipReader.h"
#include "VideoLoader.h"

#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace pretext;

namespace {
std::string writeClip(const QTemporaryDir& dir, const char* name, int frames, int width = 80,
                      int height = 60) {
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    const VideoFrames source = makeDemoVideo(1, frames, 32, 2);
    if (!io::writeMjpegVideo(path, source.frames, width, height)) {
        return {};
    }
    return path;
}

QString reasonFor(const io::VideoLoad& load, const std::string& path) {
    for (const auto& s : load.skipped) {
        if (s.path == path) {
            return QString::fromStdString(s.reason);
        }
    }
    return {};
}
struct HangOutcome {
    int64_t frames = 0;
    double seconds = 0.0;
    QString hangReason, goodReason;
};

// loadVideos over a 12-frame clip and a pipe that is fed the first third of a video and
// then nothing, with a stall limit of 1 s.
HangOutcome loadBesideAHangingVideo() {
    QTemporaryDir dir;
    const std::string good = writeClip(dir, "good.avi", 12);
    const std::string source = writeClip(dir, "source.avi", 300, 160, 120);
    std::string bytes;
    {
        std::ifstream in(source, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string hang = dir.filePath(QStringLiteral("hang.avi")).toStdString();
    if (::mkfifo(hang.c_str(), 0600) != 0) {
        return {0, 0.0, QStringLiteral("mkfifo failed"), {}};
    }
    ::signal(SIGPIPE, SIG_IGN);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    // Every reader that opens the pipe gets the first third, then waits.
    std::thread writer([hang, bytes, stop] {
        while (!*stop) {
            const int fd = ::open(hang.c_str(), O_WRONLY);
            if (fd < 0) {
                return;
            }
            const size_t third = bytes.size() / 3;
            size_t done = 0;
            while (done < third && !*stop) {
                const ssize_t n = ::write(fd, bytes.data() + done, third - done);
                if (n <= 0) {
                    break; // the reader closed it (the probe), or the test ends
                }
                done += static_cast<size_t>(n);
            }
            // Until the test ends, or the reader closes its end (POLLERR on a pipe's
            // write end): then the next reader is served from the start.
            while (done == third && !*stop) {
                pollfd end{fd, 0, 0};
                if (::poll(&end, 1, 20) > 0 && (end.revents & (POLLERR | POLLHUP)) != 0) {
                    break;
                }
            }
            ::close(fd);
        }
    });
    const auto release = qScopeGuard([&] {
        *stop = true;
        // Unblocks a writer waiting for a reader, then lets it go.
        const int fd = ::open(hang.c_str(), O_RDONLY | O_NONBLOCK);
        writer.join();
        if (fd >= 0) {
            ::close(fd);
        }
    });
    io::VideoOptions o;
    o.sizePx = 16;
    o.stallSeconds = 1.0;
    o.threads = 2;
    QElapsedTimer timer;
    timer.start();
    const io::VideoLoad load = io::loadVideos({hang, good}, o);
    return {load.video.frameCount(), timer.elapsed() / 1000.0, reasonFor(load, hang),
            reasonFor(load, good)};
}
} // namespace

class TestVideoLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void decodesFramesAtTheTrainingSize() {
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "clip.avi", 30);
        QVERIFY2(!path.empty(), "OpenCV could not write an MJPG AVI");
        io::VideoOptions o;
        o.sizePx = 32;
        const io::VideoLoad load = io::loadVideos({path}, o);
        QVERIFY(load.skipped.empty());
        QCOMPARE(load.video.frames.sizes(), (torch::IntArrayRef{30, 3, 32, 32}));
        QCOMPARE(load.video.videoCount(), static_cast<int64_t>(1));
        QVERIFY(load.video.frames.min().item<float>() >= 0.0f &&
                load.video.frames.max().item<float>() <= 1.0f);
        // Both motion measures, zero at the first frame, positive where shapes move.
        for (const char* m : {kMotionDifference, kMotionFlow}) {
            const auto& motion = load.video.motion.at(m);
            QCOMPARE(motion.size(0), static_cast<int64_t>(30));
            QCOMPARE(motion[0].item<float>(), 0.0f);
            QVERIFY(motion.sum().item<float>() > 0.0f);
        }
        QVERIFY(load.notes.empty());
    }

    void strideAndBudget() {
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "clip.avi", 30);
        io::VideoOptions o;
        o.sizePx = 16;
        o.stride = 3;
        o.opticalFlow = false;
        const io::VideoLoad strided = io::loadVideos({path}, o);
        QCOMPARE(strided.video.frameCount(), static_cast<int64_t>(10));
        QVERIFY(!strided.streamed);
        QVERIFY(strided.video.frames.is_same(strided.sample));
        // Room for 8 frames of 30: every frame is indexed and read clip by clip; every
        // 4th is kept for the image tasks, and the note says why.
        o.stride = 1;
        o.budgetBytes = 8 * io::frameBytes(16);
        const io::VideoLoad load = io::loadVideos({path}, o);
        QVERIFY(load.streamed);
        QVERIFY(load.video.streamed());
        QCOMPARE(load.video.frameCount(), static_cast<int64_t>(30));
        QCOMPARE(load.video.motion.at(kMotionDifference).size(0), static_cast<int64_t>(30));
        QCOMPARE(load.sample.size(0), static_cast<int64_t>(8));
        QVERIFY(!load.notes.empty());
        const QString note = QString::fromStdString(load.notes.front());
        QVERIFY2(note.startsWith("clip.avi") && note.contains("clip by clip") &&
                     note.contains("budget"),
                 qPrintable(note));
    }

    void clipsReadFromTheFileAreTheCachedFrames() {
        // Motion-JPEG at 160x120 and at stride 2: whatever the read order (forwards,
        // backwards, far jumps, overlapping windows), a clip read from the file is the
        // frames the cache holds, bit for bit.
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "clip.avi", 90, 160, 120);
        for (int stride : {1, 2}) {
            io::VideoOptions o;
            o.sizePx = 24;
            o.stride = stride;
            o.opticalFlow = false;
            o.mode = "cache";
            const io::VideoLoad cached = io::loadVideos({path}, o);
            o.mode = "stream";
            o.threads = 2;
            const io::VideoLoad streamed = io::loadVideos({path}, o);
            QVERIFY(streamed.video.streamed() && !cached.streamed);
            QCOMPARE(streamed.video.frameCount(), cached.video.frameCount());
            QVERIFY(torch::equal(streamed.video.motion.at(kMotionDifference),
                                 cached.video.motion.at(kMotionDifference)));
            const int64_t n = cached.video.frameCount();
            const auto starts = torch::tensor(
                std::vector<int64_t>{0, n - 5, 3, 4, n / 2, 1, n / 2 + 2, 10}, torch::kLong);
            const auto fromFile = readWindows(streamed.video, starts, 5);
            const auto fromCache = readWindows(cached.video, starts, 5);
            QCOMPARE(fromFile.sizes(), fromCache.sizes());
            QVERIFY2(torch::equal(fromFile, fromCache),
                     qPrintable(QString::number((fromFile - fromCache).abs().max().item<float>())));
            auto* reader = dynamic_cast<io::VideoClipReader*>(streamed.video.reader.get());
            QVERIFY(reader->stats().seeks > 0 && reader->stats().readOn > 0);
        }
    }

    void clipsFromARealVideoAreItsFrames() {
        // MPEG-4 with key frames far apart (Debian's opencv-doc street scene): seeking
        // lands on the frame asked for, not on the key frame before it.
        const std::string path = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";
        if (!std::filesystem::exists(path)) {
            QSKIP("opencv-doc is not installed (the set-up command installs it)");
        }
        io::VideoOptions o;
        o.sizePx = 24;
        o.opticalFlow = false;
        o.mode = "cache";
        const io::VideoLoad cached = io::loadVideos({path}, o);
        o.mode = "stream";
        const io::VideoLoad streamed = io::loadVideos({path}, o);
        const int64_t n = cached.video.frameCount();
        QVERIFY(n > 700);
        const auto starts = torch::tensor(
            std::vector<int64_t>{n - 9, 301, 7, 555, 300, 120, 121, 640}, torch::kLong);
        const auto fromFile = readWindows(streamed.video, starts, 3);
        const auto fromCache = readWindows(cached.video, starts, 3);
        QVERIFY2(torch::equal(fromFile, fromCache),
                 qPrintable(QString::number((fromFile - fromCache).abs().max().item<float>())));
    }

    void clipsShareOneCropAndDoNotDependOnThreads() {
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "clip.avi", 40, 120, 90);
        io::VideoOptions o;
        o.sizePx = 16;
        o.mode = "stream";
        o.opticalFlow = false;
        const AugmentSpec spec = augmentPreset("crop-flip");
        std::vector<ClipRequest> requests;
        for (int i = 0; i < 12; ++i) {
            requests.push_back({(i * 7) % 34, static_cast<uint64_t>(1000 + i)});
        }
        torch::Tensor first;
        for (int threads : {1, 3}) {
            o.threads = threads;
            const io::VideoLoad load = io::loadVideos({path}, o);
            const auto clips = load.video.reader->read(requests, 4, spec, 5);
            QCOMPARE(clips.sizes(), (torch::IntArrayRef{12, 4, 3, 16, 16}));
            if (!first.defined()) {
                first = clips;
            } else {
                QVERIFY(torch::equal(first, clips));
            }
        }
        // Augmented: not the centre squares.
        const io::VideoLoad load = io::loadVideos({path}, o);
        QVERIFY(!torch::equal(first, load.video.reader->read(requests, 4, AugmentSpec{}, 5)));
    }

    void aVideoThatHangsIsReportedAndTheOthersLoad() {
        // A named pipe fed the first third of a video, then nothing (the writer keeps it
        // open): its decoder waits for frames that never come, as one on a stalled
        // network mount would. It is reported after the stall limit; the good file loads.
        // The loader opens the pipe twice (its probe, then its reading); when the second
        // open joins the first one's connection before the writer has seen it closed, it
        // finds the pipe drained and stalls inside OpenCV's open, which holds a
        // process-wide lock, so the good file's open waits and is reported stalled too
        // (docs/reliability.md). That is this fixture's race, not the case under test: it
        // is tried again, up to three times.
        HangOutcome outcome;
        for (int attempt = 1; attempt <= 3; ++attempt) {
            outcome = loadBesideAHangingVideo();
            if (outcome.frames == 12 || !outcome.goodReason.contains("stalled")) {
                break;
            }
            qInfo("attempt %d: the pipe's second reader found it drained; again", attempt);
        }
        QVERIFY2(outcome.hangReason.contains("stalled"), qPrintable(outcome.hangReason));
        QVERIFY2(outcome.frames == 12, qPrintable(QStringLiteral("%1 frames after %2 s; good: %3")
                                                      .arg(outcome.frames)
                                                      .arg(outcome.seconds)
                                                      .arg(outcome.goodReason)));
        QVERIFY2(outcome.seconds < 10.0, qPrintable(QString::number(outcome.seconds)));
    }

    void aVideoThatVanishesDuringTrainingIsSkipped() {
        QTemporaryDir dir;
        const std::string a = writeClip(dir, "a.avi", 48), b = writeClip(dir, "b.avi", 48);
        io::VideoOptions o;
        o.sizePx = 16;
        o.mode = "stream";
        const io::VideoLoad load = io::loadVideos({a, b}, o);
        TrainConfig config;
        config.task = "temporal-order";
        config.batchSize = 8;
        config.seed = 3;
        auto video = std::make_shared<VideoFrames>(load.video);
        Trainer trainer(config, load.sample, video.get());
        QVERIFY(trainer.input() != nullptr);
        trainer.step();
        std::filesystem::remove(a);
        for (int i = 0; i < 6; ++i) {
            QVERIFY(std::isfinite(trainer.step().loss));
        }
        const auto skipped = trainer.input()->skipped();
        QCOMPARE(skipped.size(), size_t{1});
        QCOMPARE(skipped.front().path, a);
        QVERIFY2(QString::fromStdString(skipped.front().reason).contains("vanished"),
                 skipped.front().reason.c_str());
        std::filesystem::remove(b);
        try {
            for (int i = 0; i < 4; ++i) {
                trainer.step();
            }
            QFAIL("training went on without a video");
        } catch (const std::exception& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("no video of the set"), e.what());
        }
    }

    void trainingOnClipsResumesExactlyWithOtherThreads() {
        // The same run read clip by clip with 1 and with 3 decode threads, and resumed
        // mid-epoch: the same weights.
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "clip.avi", 80, 96, 72);
        TrainConfig config;
        config.task = "temporal-order";
        config.batchSize = 6;
        config.seed = 11;
        config.augment = augmentPreset("crop-flip");
        const auto load = [&](int threads) {
            io::VideoOptions o;
            o.sizePx = 16;
            o.mode = "stream";
            o.threads = threads;
            return io::loadVideos({path}, o);
        };
        const io::VideoLoad one = load(1), three = load(3);
        Trainer straight(config, one.sample, &one.video);
        for (int i = 0; i < 7; ++i) {
            straight.step();
        }
        Trainer first(config, one.sample, &one.video);
        for (int i = 0; i < 3; ++i) {
            first.step();
        }
        const std::string bytes = first.checkpointBytes();
        Trainer resumed(config, three.sample, &three.video);
        resumed.loadCheckpoint(bytes);
        for (int i = 0; i < 4; ++i) {
            resumed.step();
        }
        const auto a = straight.model().parameters(), b = resumed.model().parameters();
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY(torch::equal(a[i], b[i]));
        }
        QVERIFY(QString::fromStdString(resumed.input()->describe()).contains("clip by clip"));
    }

    void severalVideosKeepTheirBoundaries() {
        QTemporaryDir dir;
        const std::string a = writeClip(dir, "a.avi", 12), b = writeClip(dir, "b.avi", 20);
        io::VideoOptions o;
        o.sizePx = 16;
        const io::VideoLoad load = io::loadVideos({a, b}, o);
        QCOMPARE(load.video.frameCount(), static_cast<int64_t>(32));
        QCOMPARE(load.video.starts, (std::vector<int64_t>{0, 12}));
        QCOMPARE(load.video.motion.at(kMotionDifference)[12].item<float>(), 0.0f);
    }

    void badFilesAreNamedWithTheirProblem_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty file") << "empty"
                                    << "empty";
        QTest::newRow("text file named .avi") << "text"
                                              << "cannot be opened as a video";
        QTest::newRow("missing file") << "missing"
                                      << "does not exist";
    }

    void badFilesAreNamedWithTheirProblem() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const std::string good = writeClip(dir, "good.avi", 10);
        const std::string bad = dir.filePath(QStringLiteral("bad.avi")).toStdString();
        if (kind == "empty") {
            std::ofstream(bad).close();
        } else if (kind == "text") {
            std::ofstream(bad) << "this is not a video, only a note named like one\n";
        }
        io::VideoOptions o;
        o.sizePx = 16;
        const io::VideoLoad load = io::loadVideos({bad, good}, o);
        QVERIFY2(reasonFor(load, bad).contains(reason), qPrintable(reasonFor(load, bad)));
        QCOMPARE(load.video.frameCount(), static_cast<int64_t>(10)); // the good file still loads
    }

    void aTruncatedVideoKeepsItsFramesAndSaysSo() {
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "cut.avi", 60);
        const auto size = std::filesystem::file_size(path);
        std::filesystem::resize_file(path, size * 45 / 100);
        io::VideoOptions o;
        o.sizePx = 16;
        const io::VideoLoad load = io::loadVideos({path}, o);
        QVERIFY(load.skipped.empty());
        qInfo("kept %lld of 60 frames; %s", static_cast<long long>(load.video.frameCount()),
              load.notes.empty() ? "(no note)" : load.notes.front().c_str());
        QVERIFY(load.video.frameCount() < 60);
        QVERIFY(load.video.frameCount() > 0);
        QVERIFY(!load.notes.empty());
        QVERIFY(QString::fromStdString(load.notes.front()).contains("cut.avi"));
        QVERIFY(QString::fromStdString(load.notes.front()).contains("breaks off"));
    }

    void progressCanCancel() {
        QTemporaryDir dir;
        const std::string a = writeClip(dir, "a.avi", 40), b = writeClip(dir, "b.avi", 40);
        io::VideoOptions o;
        o.sizePx = 16;
        o.threads = 1;
        int calls = 0;
        int64_t expected = 0;
        const io::VideoLoad load = io::loadVideos({a, b}, o, [&](int64_t, int64_t total) {
            ++calls;
            expected = std::max(expected, total);
            return false;
        });
        QVERIFY(load.cancelled);
        QVERIFY(load.video.empty());
        QVERIFY(calls >= 1);
        QCOMPARE(expected, int64_t{80});
    }

    void videoExtensions() {
        QVERIFY(io::hasVideoExtension("/a/b/Clip.MP4"));
        QVERIFY(io::hasVideoExtension("x.avi"));
        QVERIFY(io::hasVideoExtension("x.mkv"));
        QVERIFY(!io::hasVideoExtension("x.png"));
        QVERIFY(!io::hasVideoExtension("avi"));
    }
};

QTEST_GUILESS_MAIN(TestVideoLoader)
#include "test_video_loader.moc"
