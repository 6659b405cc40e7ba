// Video decoding in engine/io: frames, stride, memory budget, motion, bad files.
#include "DemoVideo.h"
#include "VideoLoader.h"

#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

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

    void strideAndBudgetSampleDown() {
        QTemporaryDir dir;
        const std::string path = writeClip(dir, "clip.avi", 30);
        io::VideoOptions o;
        o.sizePx = 16;
        o.stride = 3;
        o.opticalFlow = false;
        QCOMPARE(io::loadVideos({path}, o).video.frameCount(), static_cast<int64_t>(10));
        // Room for 8 frames: every 4th kept, and the note says why.
        o.stride = 1;
        o.budgetBytes = 8 * io::frameBytes(16);
        const io::VideoLoad load = io::loadVideos({path}, o);
        QVERIFY(load.video.frameCount() <= 8);
        QVERIFY(load.video.frameCount() >= 7);
        QCOMPARE(load.strides.front(), 4);
        QVERIFY(!load.notes.empty());
        QVERIFY2(QString::fromStdString(load.notes.front()).contains("budget"),
                 load.notes.front().c_str());
        QVERIFY(QString::fromStdString(load.notes.front()).startsWith("clip.avi"));
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
        const std::string path = writeClip(dir, "clip.avi", 40);
        io::VideoOptions o;
        o.sizePx = 16;
        int calls = 0;
        const io::VideoLoad load = io::loadVideos({path}, o, [&](int64_t done, int64_t total) {
            ++calls;
            return done < 16 && total > 0;
        });
        QVERIFY(load.cancelled);
        QVERIFY(calls >= 2);
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
