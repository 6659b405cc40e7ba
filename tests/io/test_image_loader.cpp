// engine/io: every supported format decodes; a bad file is skipped with its
// path and reason while the rest of the set loads.
#include "ImageLoader.h"
#include "MatTensor.h"

#include <QTemporaryDir>
#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <fstream>

using namespace pretext::io;

namespace {
cv::Mat testPattern(int w, int h) {
    cv::Mat img(h, w, CV_8UC3, cv::Scalar(30, 60, 200)); // BGR: mostly red
    cv::circle(img, {w / 2, h / 2}, std::min(w, h) / 4, cv::Scalar(0, 255, 0), -1);
    return img;
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}
} // namespace

class TestImageLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesEveryFormat_data() {
        QTest::addColumn<QString>("extension");
        QTest::newRow("png") << "png";
        QTest::newRow("jpeg") << "jpg";
        QTest::newRow("bmp") << "bmp";
        QTest::newRow("webp") << "webp";
        QTest::newRow("tiff") << "tif";
    }

    void decodesEveryFormat() {
        QFETCH(QString, extension);
        QTemporaryDir dir;
        const std::string path = dir.filePath("pattern." + extension).toStdString();
        QVERIFY(cv::imwrite(path, testPattern(120, 80)));
        auto set = loadImages({path}, 32);
        QVERIFY2(set.skipped.empty(), set.skipped.empty() ? "" : set.skipped[0].reason.c_str());
        QCOMPARE(set.images.sizes().vec(), (std::vector<int64_t>{1, 3, 32, 32}));
        // Centre-cropped: the middle is the green disc, the corners the red background (RGB).
        auto px = set.images[0];
        QVERIFY(px[1][16][16].item<float>() > 0.8f);
        QVERIFY(px[0][1][1].item<float>() > 0.6f && px[2][1][1].item<float>() < 0.3f);
    }

    void badFilesAreSkippedAndNamed_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reasonPart");
        QTest::newRow("empty") << "empty.png" << QByteArray() << "empty";
        QTest::newRow("not an image")
            << "notes.jpg" << QByteArray("hello, not a jpeg") << "text file";
        QTest::newRow("truncated png")
            << "cut.png" << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << "damaged PNG";
    }

    void badFilesAreSkippedAndNamed() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reasonPart);
        QTemporaryDir dir;
        QVERIFY(cv::imwrite(dir.filePath("good1.png").toStdString(), testPattern(64, 64)));
        QVERIFY(cv::imwrite(dir.filePath("good2.png").toStdString(), testPattern(50, 70)));
        const std::string bad = dir.filePath(name).toStdString();
        writeBytes(bad, bytes.toStdString());
        auto set = loadImages({dir.path().toStdString()}, 16);
        QCOMPARE(set.images.size(0), 2);
        QCOMPARE(set.skipped.size(), size_t(1));
        QCOMPARE(QString::fromStdString(set.skipped[0].path), QString::fromStdString(bad));
        QVERIFY2(QString::fromStdString(set.skipped[0].reason).contains(reasonPart),
                 set.skipped[0].reason.c_str());
    }

    void missingPathIsReported() {
        auto set = loadImages({"/nonexistent/dir/x.png"}, 16);
        QCOMPARE(set.images.size(0), 0);
        QCOMPARE(set.skipped.size(), size_t(1));
        QVERIFY(set.skipped[0].reason.find("does not exist") != std::string::npos);
    }

    void folderIsScannedRecursivelyForImagesOnly() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("a/b"));
        QVERIFY(cv::imwrite(dir.filePath("a/b/deep.png").toStdString(), testPattern(40, 40)));
        QVERIFY(cv::imwrite(dir.filePath("top.JPG").toStdString(), testPattern(40, 40)));
        writeBytes(dir.filePath("readme.txt").toStdString(), "text");
        std::vector<LoadIssue> issues;
        auto files = collectImageFiles({dir.path().toStdString()}, issues);
        QCOMPARE(files.size(), size_t(2));
        QVERIFY(issues.empty());
    }

    void tooSmallImageIsRejected() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("tiny.png").toStdString();
        QVERIFY(cv::imwrite(path, testPattern(4, 4)));
        auto set = loadImages({path}, 16);
        QCOMPARE(set.images.size(0), 0);
        QVERIFY(set.skipped[0].reason.find("too small") != std::string::npos);
    }

    void matTensorRoundTrip() {
        cv::Mat img = testPattern(24, 24);
        auto t = matToTensor(img);
        cv::Mat back = tensorToMat(t);
        QCOMPARE(cv::norm(img, back, cv::NORM_INF), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestImageLoader)
#include "test_image_loader.moc"
