// Hostile and broken inputs, made here by the test itself (no binary files in the
// repository): images, folders, videos, IDX files, configs and checkpoint manifests.
// Each case must end with a message that names the file and the problem while the
// rest of the set loads, and must finish within a time limit (no hang, no crash).
#include "DataSource.h"
#include "HostileFiles.h"
#include "Idx.h"
#include "ImageLoader.h"
#include "RunConfig.h"
#include "RunFolder.h"
#include "Trainer.h"
#include "VideoLoader.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <torch/torch.h>

#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

using namespace pretext;

using namespace hostile;

namespace {

struct Outcome {
    int loaded = 0;       // images, frames, or 1 for a config/manifest/IDX that was accepted
    QStringList messages; // "<path> <reason>" for each refusal
};

Outcome loadImagesIn(const QString& dir) {
    const auto set = io::loadImages({dir.toStdString()}, 16);
    Outcome o;
    o.loaded = static_cast<int>(set.images.size(0));
    for (const auto& s : set.skipped) {
        o.messages << QString::fromStdString(s.path + " " + s.reason);
    }
    return o;
}

} // namespace

class TestHostile : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_cases = 0;

    // A folder with two good images and `bad` written by `make`.
    QString folderWith(const QString& name, const std::function<void(const QString&)>& make) {
        const QString dir = m_dir.filePath(QStringLiteral("img-%1").arg(++m_cases));
        QDir().mkpath(dir);
        write(dir + "/good1.png", bytesOf(pattern(40, 30), ".png"));
        write(dir + "/good2.jpg", bytesOf(pattern(30, 40), ".jpg"));
        make(dir + "/" + name);
        return dir;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        cv::setRNGSeed(7);
    }

    // expect: part of the message for the bad file, or empty when it must load.
    void images_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expect");
        const std::string png = bytesOf(pattern(64, 64), ".png");
        const std::string jpg = bytesOf(pattern(64, 64), ".jpg");
        auto row = [](const char* tag, const char* name, const std::string& bytes,
                      const char* expect) {
            QTest::newRow(tag) << name
                               << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()))
                               << expect;
        };
        row("zero bytes", "zero.png", "", "is empty");
        row("text as png", "notes.png", "These are my notes, not a picture.\n", "is a text file");
        row("text as jpg", "notes.jpg", "<html><body>404 not found</body></html>",
            "is a text file");
        row("binary junk as png", "junk.png",
            std::string("\x01\x02\x03\x04\xfe\xff", 6) + std::string(100, '\x13'),
            "is not an image");
        row("png cut in its header", "cut-header.png", png.substr(0, 20), "damaged PNG");
        row("png cut in its data", "cut-data.png", png.substr(0, png.size() * 6 / 10),
            "damaged PNG");
        row("jpeg cut in its header", "cut-header.jpg", jpg.substr(0, 20), "damaged JPEG");
        row("jpeg cut in its data", "cut-data.jpg", jpg.substr(0, jpg.size() * 6 / 10),
            "cut short");
        row("png bomb 30000x30000", "bomb.png", pngBomb(30000, 30000),
            "30000x30000 pixels (900.0 MP), over the limit of 64.0 MP");
        row("png claiming 4 billion columns", "wide.png", pngBomb(0xFFFFFFFF, 1), "over the limit");
        row("jpeg claiming 65000x65000", "bomb.jpg", jpegClaiming(65000, 65000), "65000x65000");
        row("png of size 0", "zero-size.png", pngBomb(0, 10), "size of 0x10");
        row("1x1 png", "one.png", bytesOf(pattern(1, 1), ".png"), "too small");
        row("gif", "anim.gif", "GIF89a" + std::string(40, '\0'), "is a GIF");
        row("bigtiff", "big.tif", std::string("II+\0\x08\0\0\0", 8) + std::string(32, '\0'),
            "BigTIFF");
        row("tiff cut short", "cut.tif", std::string("II*\0\xff\xff\0\0", 8), "damaged TIFF");
        row("webp cut short", "cut.webp", std::string("RIFF\x10\0\0\0WEBPVP8 ", 16),
            "damaged WebP");
        row("bmp with a short header", "short.bmp", std::string("BM") + std::string(14, '\0'),
            "damaged BMP");
        row("16-bit png", "deep.png", bytesOf(pattern(32, 32, CV_16UC3), ".png"), "");
        row("grayscale png", "gray.png", bytesOf(pattern(32, 32, CV_8UC1), ".png"), "");
        row("rgba png", "rgba.png", bytesOf(pattern(32, 32, CV_8UC4), ".png"), "");
        row("cmyk jpeg", "cmyk.jpg", cmykJpeg(48, 32), "");
        row("pnm", "plain.ppm", bytesOf(pattern(24, 24), ".ppm"), "");
    }

    void images() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expect);
        const QString dir =
            folderWith(name, [&](const QString& path) { write(path, bytes.toStdString()); });
        Outcome o;
        QString error;
        QVERIFY2(finishesWithin(
                     kLimitS, [&] { o = loadImagesIn(dir); }, &error),
                 "did not finish in time");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        if (expect.isEmpty()) {
            QVERIFY2(o.messages.isEmpty(), qPrintable(o.messages.join('\n')));
            QCOMPARE(o.loaded, 3);
        } else {
            QCOMPARE(o.loaded, 2); // the rest of the set loads
            QCOMPARE(o.messages.size(), 1);
            QVERIFY2(o.messages.front().startsWith(dir + "/" + name + " "),
                     qPrintable(o.messages.front()));
            QVERIFY2(o.messages.front().contains(expect), qPrintable(o.messages.front()));
        }
    }

    void multiPageTiffLoadsItsFirstPage() {
        const QString dir = folderWith("pages.tif", [](const QString& path) {
            QVERIFY(cv::imwritemulti(
                path.toStdString(),
                std::vector<cv::Mat>{pattern(32, 32), pattern(32, 32), pattern(32, 32)}));
        });
        const Outcome o = loadImagesIn(dir);
        QVERIFY2(o.messages.isEmpty(), qPrintable(o.messages.join('\n')));
        QCOMPARE(o.loaded, 3);
    }

    void theLimitCanBeRaised() {
        const QString dir = folderWith("big.png", [](const QString& path) {
            write(path, bytesOf(pattern(400, 300), ".png"));
        });
        io::LoadLimits limits;
        limits.maxPixels = 100'000; // 0.1 MP: the 400x300 image is over it
        auto set = io::loadImages({dir.toStdString()}, 16, limits);
        QCOMPARE(set.images.size(0), 2);
        QVERIFY(set.skipped.at(0).reason.find("over the limit of 0.1 MP") != std::string::npos);
        limits.maxPixels = 200'000;
        QCOMPARE(io::loadImages({dir.toStdString()}, 16, limits).images.size(0), 3);
        // Through the session layer, in megapixels, and recorded for a resume.
        const LoadedData d = loadImageFiles({dir}, 16, {}, 1);
        QCOMPARE(d.images.size(0), 3);
        QCOMPARE(d.description.value("max_megapixels").toInt(), 1);
    }

    void linksPipesAndPermissions() {
        const QString dir = m_dir.filePath("links");
        QDir().mkpath(dir + "/sub");
        write(dir + "/good.png", bytesOf(pattern(32, 32), ".png"));
        namespace fs = std::filesystem;
        fs::create_symlink("loop.png", (dir + "/loop.png").toStdString());        // itself
        fs::create_symlink("nowhere.png", (dir + "/dangling.png").toStdString()); // nothing
        fs::create_directory_symlink("..", (dir + "/sub/up").toStdString());      // a folder loop
        QCOMPARE(::mkfifo((dir + "/pipe.png").toLocal8Bit().constData(), 0600),
                 0); // read would block
        write(dir + "/locked.png", bytesOf(pattern(32, 32), ".png"));
        ::chmod((dir + "/locked.png").toLocal8Bit().constData(), 0);
        const bool lockedReadable =
            ::access((dir + "/locked.png").toLocal8Bit().constData(), R_OK) == 0; // root
        Outcome o;
        QString error;
        QVERIFY2(finishesWithin(
                     kLimitS, [&] { o = loadImagesIn(dir); }, &error),
                 "did not finish in time");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString all = o.messages.join('\n');
        QVERIFY2(all.contains(
                     dir + "/loop.png is a symbolic link that cannot be followed: Too many levels"),
                 qPrintable(all));
        QVERIFY2(all.contains(dir + "/dangling.png is a symbolic link that cannot be followed"),
                 qPrintable(all));
        QCOMPARE(o.loaded, lockedReadable ? 2 : 1);
        if (!lockedReadable) {
            QVERIFY2(all.contains(dir + "/locked.png cannot be read"), qPrintable(all));
        }
        // Named explicitly, the pipe is refused without being opened for reading.
        const auto pipe = io::loadImages({(dir + "/pipe.png").toStdString()}, 16);
        QCOMPARE(pipe.skipped.size(), size_t(1));
        QVERIFY2(pipe.skipped[0].reason.find("cannot be read") != std::string::npos,
                 pipe.skipped[0].reason.c_str());
        const auto loop = io::loadImages({(dir + "/loop.png").toStdString()}, 16);
        QVERIFY2(loop.skipped.at(0).reason.find("symbolic link") != std::string::npos,
                 loop.skipped[0].reason.c_str());
    }

    void thousandsOfFilesSomeBad() {
        const QString dir = m_dir.filePath("many");
        QDir().mkpath(dir);
        const std::string good = bytesOf(pattern(8, 8), ".png");
        int bad = 0;
        for (int i = 0; i < 2000; ++i) {
            const bool broken = i % 97 == 13;
            bad += broken;
            write(QStringLiteral("%1/%2.png").arg(dir).arg(i, 4, 10, QLatin1Char('0')),
                  broken ? std::string("not an image") : good);
        }
        Outcome o;
        QString error;
        QVERIFY2(finishesWithin(
                     kLimitS * 2, [&] { o = loadImagesIn(dir); }, &error),
                 "did not finish in time");
        QCOMPARE(o.loaded, 2000 - bad);
        QCOMPARE(o.messages.size(), bad);
        for (const QString& m : o.messages) {
            QVERIFY2(m.startsWith(dir) && m.endsWith("is a text file, not an image"),
                     qPrintable(m));
        }
    }

    void videos_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>(
            "cut"); // 0: the file as written; -1: empty; -2: text; else percent kept
        QTest::addColumn<int>("frames"); // frames written
        QTest::addColumn<QString>("expect");
        QTest::newRow("empty video") << "empty.mp4" << -1 << 0 << "is empty";
        QTest::newRow("text named .mp4") << "notes.mp4" << -2 << 0 << "cannot be opened as a video";
        QTest::newRow("truncated video") << "cut.avi" << 50 << 40 << "";
        QTest::newRow("one-frame video") << "one.avi" << 0 << 1 << "";
        QTest::newRow("cut inside its header") << "head.avi" << 1 << 40 << "";
    }

    void videos() {
        QFETCH(QString, name);
        QFETCH(int, cut);
        QFETCH(int, frames);
        QFETCH(QString, expect);
        const QString path = m_dir.filePath(QStringLiteral("video-%1-%2").arg(++m_cases).arg(name));
        if (cut == -1) {
            write(path, "");
        } else if (cut == -2) {
            write(path, "this is a shopping list, not a film\n");
        } else {
            QVERIFY(
                io::writeMjpegVideo(path.toStdString(), torch::rand({frames, 3, 32, 32}), 64, 48));
            if (cut > 0) {
                QFile f(path);
                QVERIFY(f.resize(f.size() * cut / 100));
            }
        }
        io::VideoLoad load;
        QString error;
        io::VideoOptions options;
        options.sizePx = 16;
        QVERIFY2(
            finishesWithin(
                kLimitS, [&] { load = io::loadVideos({path.toStdString()}, options); }, &error),
            "did not finish in time");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QString said;
        for (const auto& s : load.skipped) {
            said += QString::fromStdString(s.path + " " + s.reason + "\n");
        }
        for (const auto& n : load.notes) {
            said += QString::fromStdString(n + "\n");
        }
        if (!expect.isEmpty()) {
            QCOMPARE(load.video.frameCount(), 0);
            QVERIFY2(said.startsWith(path + " ") && said.contains(expect), qPrintable(said));
        } else if (cut == 0) {
            QCOMPARE(load.video.frameCount(), static_cast<int64_t>(frames));
            QVERIFY2(said.isEmpty(), qPrintable(said));
        } else {
            // Cut short: the frames before the cut are kept and the file is named, or
            // (cut inside its header) it is refused and named.
            QVERIFY2(said.contains(QFileInfo(path).fileName()), qPrintable(said));
            QVERIFY(load.video.frameCount() < frames);
        }
    }

    void videoBoundsAreChecked() {
        const QString path = m_dir.filePath("bounded.avi");
        QVERIFY(io::writeMjpegVideo(path.toStdString(), torch::rand({5, 3, 32, 32}), 64, 48));
        io::VideoOptions options;
        options.sizePx = 16;
        options.maxPixels = 1000; // 64x48 = 3072 pixels per frame
        auto load = io::loadVideos({path.toStdString()}, options);
        QCOMPARE(load.video.frameCount(), 0);
        QVERIFY2(load.skipped.at(0).reason.find("64x48 pixels, over the limit") !=
                     std::string::npos,
                 load.skipped[0].reason.c_str());
        options.maxPixels = 64'000'000;
        options.maxFrames = 3;
        load = io::loadVideos({path.toStdString()}, options);
        QCOMPARE(load.video.frameCount(), 0);
        QVERIFY2(load.skipped.at(0).reason.find("claims 5 frames, over the limit of 3") !=
                     std::string::npos,
                 load.skipped[0].reason.c_str());
    }

    void idxFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expect");
        auto row = [](const char* tag, const std::string& b, const char* expect) {
            QTest::newRow(tag) << QByteArray(b.data(), static_cast<qsizetype>(b.size())) << expect;
        };
        row("wrong magic", idx(std::string("\x01\x00\x08\x03", 4), {2, 4, 4}, 32),
            "not an IDX file");
        row("unknown type", idx(std::string("\x00\x00\x07\x01", 4), {4}, 4),
            "unknown IDX data type code 0x07");
        row("five dimensions", idx(std::string("\x00\x00\x08\x05", 4), {1, 1, 1, 1, 1}, 1),
            "claims 5 dimensions");
        row("count larger than the data", idx(std::string("\x00\x00\x08\x03", 4), {10, 4, 4}, 48),
            "is truncated");
        row("header cut short", std::string("\x00\x00\x08\x03\x00\x00", 6),
            "truncated inside its header");
        row("a size of zero", idx(std::string("\x00\x00\x08\x03", 4), {0, 4, 4}, 0), "size 0");
        row("claims 60000x30000x30000",
            idx(std::string("\x00\x00\x08\x03", 4), {60000, 30000, 30000}, 16),
            "would need more than");
    }

    void idxFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expect);
        const QString path = m_dir.filePath(QStringLiteral("idx-%1-ubyte").arg(++m_cases));
        write(path, bytes.toStdString());
        QString error;
        QVERIFY(finishesWithin(
            kLimitS, [&] { io::readIdx(path.toStdString(), -1, 64 << 20); }, &error));
        QVERIFY2(error.startsWith(path + ": ") && error.contains(expect), qPrintable(error));
    }

    void configs_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expect");
        QTest::newRow("empty file") << QByteArray() << "not valid JSON";
        QTest::newRow("binary junk") << QByteArray("\x00\xff\xfe{", 4) << "not valid JSON";
        QTest::newRow("a list, not an object") << QByteArray("[1, 2, 3]") << "object";
        QTest::newRow("missing task") << QByteArray(R"({"batch_size": 8})") << "task:";
        QTest::newRow("task of the wrong type")
            << QByteArray(R"({"task": 3})") << "task: must be one of";
        QTest::newRow("batch as text")
            << QByteArray(R"({"task": "jigsaw", "batch_size": "big"})") << "batch_size:";
        QTest::newRow("huge batch")
            << QByteArray(R"({"task": "jigsaw", "batch_size": 1e300})") << "batch_size:";
        QTest::newRow("huge steps")
            << QByteArray(R"({"task": "jigsaw", "max_steps": 1e20})") << "max_steps:";
        QTest::newRow("negative learning rate")
            << QByteArray(R"({"task": "jigsaw", "learning_rate": -1})") << "learning_rate:";
        QTest::newRow("params not an object")
            << QByteArray(R"({"task": "jigsaw", "params": [1]})") << "params";
        QTest::newRow("param out of range")
            << QByteArray(R"({"task": "jigsaw", "params": {"grid": 1e9}})") << "params.grid";
        QTest::newRow("huge image size")
            << QByteArray(R"({"task": "jigsaw", "data": {"source": "demo", "size_px": 1e9}})")
            << "data.size_px";
        QTest::newRow("data paths of the wrong type")
            << QByteArray(R"({"task": "jigsaw", "data": {"source": "files", "paths": 7}})")
            << "data.paths";
        QTest::newRow("nested 100000 deep") << QByteArray(100000, '[') << "not valid JSON";
        QTest::newRow("unknown key")
            << QByteArray(R"({"task": "jigsaw", "bacth_size": 8})") << "bacth_size: unknown key";
    }

    void configs() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expect);
        const QString path = m_dir.filePath(QStringLiteral("config-%1.json").arg(++m_cases));
        write(path, json.toStdString());
        RunConfig config;
        QString message;
        bool ok = true;
        QString error;
        QVERIFY(finishesWithin(
            kLimitS, [&] { ok = readRunConfig(path, &config, &message); }, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!ok);
        QVERIFY2(message.contains(path) && message.contains(expect), qPrintable(message));
    }

    // checkpoint.json, the manifest that vouches for checkpoint.pt.
    void manifests_data() {
        QTest::addColumn<QByteArray>("manifest");
        QTest::addColumn<QByteArray>("checkpoint");
        QTest::addColumn<QString>("expect");
        const QByteArray junk("this is not a LibTorch archive");
        const QString sha = QCryptographicHash::hash(junk, QCryptographicHash::Sha256).toHex();
        auto manifest = [&](const QJsonObject& o) { return QJsonDocument(o).toJson(); };
        QTest::newRow("manifest not JSON")
            << QByteArray("{\"step\": ") << junk << "checkpoint.json is not valid JSON";
        QTest::newRow("no hash") << manifest({{"task", "inpainting"}, {"bytes", junk.size()}})
                                 << junk << "no SHA-256";
        QTest::newRow("hash of the wrong type")
            << manifest({{"task", "inpainting"}, {"bytes", junk.size()}, {"sha256", 5}}) << junk
            << "no SHA-256";
        QTest::newRow("size too large")
            << manifest({{"task", "inpainting"}, {"bytes", 1e18}, {"sha256", sha}}) << junk
            << "cut short or replaced";
        QTest::newRow("another task")
            << manifest({{"task", "jigsaw"}, {"bytes", junk.size()}, {"sha256", sha}}) << junk
            << "of task 'jigsaw'";
        QTest::newRow("vouched-for junk")
            << manifest({{"task", "inpainting"}, {"bytes", junk.size()}, {"sha256", sha}}) << junk
            << "not a checkpoint";
    }

    void manifests() {
        QFETCH(QByteArray, manifest);
        QFETCH(QByteArray, checkpoint);
        QFETCH(QString, expect);
        const QString dir = m_dir.filePath(QStringLiteral("run-%1").arg(++m_cases));
        QDir().mkpath(dir);
        write(dir + "/config.json", "{}");
        write(dir + "/checkpoint.json", manifest.toStdString());
        write(dir + "/checkpoint.pt", checkpoint.toStdString());
        QString message, error;
        QVERIFY(finishesWithin(
            kLimitS,
            [&] {
                QString why;
                auto folder = RunFolder::open(dir, &why);
                QByteArray bytes;
                QJsonObject m;
                if (!folder->readCheckpoint("inpainting", &bytes, &m, &why)) {
                    message = why;
                    return;
                }
                torch::serialize::InputArchive archive;
                try {
                    openCheckpoint(archive, bytes.toStdString(), torch::kCPU, "inpainting");
                } catch (const TrainingError& e) {
                    message = dir + ": " + QString::fromStdString(e.what());
                }
            },
            &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(message.contains(dir) && message.contains(expect), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "test_hostile.moc"
