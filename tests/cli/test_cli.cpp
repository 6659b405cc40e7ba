// The headless commands, run as a user would run them.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "../common/ColourClasses.h"
#include "../common/MetricsFile.h"
#include "../common/RunProgram.h"

namespace {
// An MNIST-layout pair of IDX files (plain): n images of 12x12, class 0 dark with a
// bright top half, class 1 dark with a bright left half, a little noise; labels alternate.
void writeIdxPair(const QString& dir, const QString& prefix, int n) {
    QByteArray images("\0\0\x08\x03", 4), labels("\0\0\x08\x01", 4);
    auto be32 = [](QByteArray& b, int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            b.append(static_cast<char>((v >> shift) & 0xFF));
        }
    };
    be32(images, n);
    be32(images, 12);
    be32(images, 12);
    be32(labels, n);
    for (int i = 0; i < n; ++i) {
        for (int r = 0; r < 12; ++r) {
            for (int c = 0; c < 12; ++c) {
                const bool bright = i % 2 == 0 ? r < 6 : c < 6;
                images.append(static_cast<char>((bright ? 200 : 30) + (i * 7 + r * 3 + c) % 20));
            }
        }
        labels.append(static_cast<char>(i % 2));
    }
    QFile fi(dir + "/" + prefix + "-images-idx3-ubyte"),
        fl(dir + "/" + prefix + "-labels-idx1-ubyte");
    QVERIFY(fi.open(QIODevice::WriteOnly) && fl.open(QIODevice::WriteOnly));
    fi.write(images);
    fl.write(labels);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void helpAndVersion() {
        auto r = run({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("train"));
        r = run({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("pretext-workbench "));
        r = run({"train", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("--steps"));
    }

    void trainWritesRunFolder() {
        QTemporaryDir dir;
        const QString out = dir.filePath("run");
        auto r = run({"train", "--task", "inpainting", "--data", "demo", "--steps", "5", "--out",
                      out, "--size", "32", "--batch", "8", "--seed", "3", "--mask", "freeform",
                      "--param", "base_channels=8"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("step 5/5"));
        for (const char* f : {"config.json", "metrics.csv", "checkpoint.pt", "checkpoint.json"}) {
            QVERIFY2(QFile::exists(QDir(out).filePath(f)), f);
        }
        QVERIFY(!QDir(out + "/previews").entryList({"*.png"}).isEmpty());
        QFile cfg(QDir(out).filePath("config.json"));
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        const auto json = QJsonDocument::fromJson(cfg.readAll()).object();
        QCOMPARE(json.value("seed").toString(), QString("3"));
        QCOMPARE(json.value("params").toObject().value("mask").toString(), QString("freeform"));
        QCOMPARE(json.value("data").toObject().value("source").toString(), QString("demo"));
    }

    void jigsawTrainsAndReportsHeldOutAccuracy() {
        QTemporaryDir dir;
        const QString out = dir.filePath("jig");
        auto r = run({"train", "--task", "jigsaw", "--data", "demo", "--steps", "4", "--out", out,
                      "--grid", "2", "--perms", "6", "--head", "position", "--batch", "8",
                      "--param", "base_channels=8"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("held-out: accuracy"), qPrintable(r.out));
        QFile metrics(QDir(out).filePath("metrics.csv"));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QString header = QString::fromUtf8(metrics.readLine());
        QVERIFY(header.startsWith("step,wall_time_s,loss,"));
        QVERIFY(header.contains("heldout_accuracy"));
        r = run({"preview", "--task", "jigsaw", "--data", "demo", "--out", dir.filePath("j.png"),
                 "--grid", "2", "--perms", "25"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("tiles!"), qPrintable(r.err));
        r = run({"preview", "--task", "inpainting", "--grid", "3", "--out", dir.filePath("x.png")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no parameter 'grid'"), qPrintable(r.err));
    }

    void colorizationTrainsInBothModesAndPreviews() {
        QTemporaryDir dir;
        for (const QString mode : {"regression", "classes"}) {
            const QString out = dir.filePath(mode);
            auto r =
                run({"train", "--task", "colorization", "--mode", mode, "--steps", "3", "--size",
                     "32", "--batch", "8", "--param", "base_channels=8", "--out", out});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY(r.out.contains("colorization uses all 512 images"));
            QVERIFY2(r.out.contains("chroma_ratio"), qPrintable(r.out));
            QFile config(QDir(out).filePath("config.json"));
            QVERIFY(config.open(QIODevice::ReadOnly));
            const auto params =
                QJsonDocument::fromJson(config.readAll()).object().value("params").toObject();
            QCOMPARE(params.value("mode").toString(), QString(mode)); // choices by name
        }
        const QString png = dir.filePath("c.png");
        auto r = run({"preview", "--task", "colorization", "--param", "temperature=0.2", "--count",
                      "4", "--out", png});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("in-gamut ab bins"));
        QVERIFY(r.out.contains("T = 0.20"));
        QImage sheet(png);
        QVERIFY(!sheet.isNull());
        QVERIFY(sheet.height() > 4 * 64 * 2); // four samples at 2x, plus the set-level figures
    }

    void colorizationBenchComparesLabWithOpenCv() {
        auto r = run(
            {"bench", "--task", "colorization", "--size", "32", "--batch", "4", "--steps", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("pretext samples made"), qPrintable(r.out));
        QVERIFY2(r.out.contains("ours / OpenCV = "), qPrintable(r.out));
        QVERIFY2(r.out.contains("malloc keeps freed blocks") &&
                     r.out.contains("page faults per step"),
                 qPrintable(r.out));
        r = run({"bench", "--task", "rotation", "--size", "32", "--batch", "2", "--steps", "1",
                 "--no-ceiling", "--malloc-defaults"});
        QVERIFY2(r.exitCode == 0 && r.out.contains("malloc as found"), qPrintable(r.err + r.out));
    }

    // The Python reference (tests/bench/reference.py) must train the very model the
    // program trains: the same parameter count and forward FLOPs, for every variant.
    void pythonReferenceIsTheSameModel_data() {
        QTest::addColumn<QStringList>("options");
        QTest::newRow("all tasks, defaults") << QStringList{"--task", "all"};
        QTest::newRow("inpainting, random patches")
            << QStringList{"--task", "inpainting", "--mask", "patches"};
        QTest::newRow("jigsaw, position head, 2x2")
            << QStringList{"--task", "jigsaw", "--head", "position", "--grid", "2"};
        QTest::newRow("jigsaw, 4x4, 100 permutations")
            << QStringList{"--task", "jigsaw", "--grid", "4", "--perms", "100", "--size", "64"};
        QTest::newRow("colorization, regression")
            << QStringList{"--task", "colorization", "--mode", "regression"};
        QTest::newRow("temporal order, verify")
            << QStringList{"--task", "temporal-order", "--variant", "verify"};
        QTest::newRow("temporal order, 3 frames, position head")
            << QStringList{"--task", "temporal-order", "--frames", "3", "--head", "position"};
        // ResNets: torchvision's own model in the reference.
        QTest::newRow("all tasks, resnet18, small-input stem")
            << QStringList{"--task", "all", "--backbone", "resnet18", "--conv-route", "libtorch"};
        QTest::newRow("rotation, resnet50, ImageNet stem")
            << QStringList{"--task",   "rotation", "--backbone", "resnet50",     "--stem",
                           "imagenet", "--size",   "64",         "--conv-route", "libtorch"};
        QTest::newRow("inpainting, resnet34, ImageNet stem (five up-stages)")
            << QStringList{"--task",   "inpainting", "--backbone", "resnet34",     "--stem",
                           "imagenet", "--size",     "64",         "--conv-route", "libtorch"};
        QTest::newRow("colorization, resnet18, ImageNet stem")
            << QStringList{"--task",   "colorization", "--backbone", "resnet18",     "--stem",
                           "imagenet", "--size",       "64",         "--conv-route", "libtorch"};
    }

    void pythonReferenceIsTheSameModel() {
        QFETCH(QStringList, options);
        QProcess probe;
        probe.start(QStringLiteral("/usr/bin/python3"), {"-c", "import torch"});
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0) {
            QSKIP("Debian's python3-torch is not installed (the set-up command installs it)");
        }
        QTemporaryDir dir;
        const QString spec = dir.filePath("cpp.json"), ref = dir.filePath("py.json");
        // The row's options come last, so that its --size wins.
        // One step a side, no warm-up: only the models' structure is compared here.
        auto r = run(QStringList{"bench", "--size", "32", "--batch", "4", "--steps", "1",
                                 "--warmup", "0", "--no-loaders", "--no-ceiling", "--json", spec} +
                     options);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral(PRETEXT_REFERENCE), "--spec",
                                                      spec, "--steps", "1", "--json", ref});
        QVERIFY(py.waitForFinished(300000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        auto tasksOf = [](const QString& path) {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            return QJsonDocument::fromJson(f.readAll()).object().value("tasks").toArray();
        };
        const QJsonArray cpp = tasksOf(spec), python = tasksOf(ref);
        QVERIFY(!cpp.isEmpty());
        QCOMPARE(python.size(), cpp.size());
        for (int i = 0; i < cpp.size(); ++i) {
            const QJsonObject c = cpp[i].toObject(), p = python[i].toObject();
            const QString task = c.value("task").toString();
            QCOMPARE(p.value("task").toString(), task);
            QVERIFY2(c.value("parameters").toDouble() > 0, qPrintable(task));
            QCOMPARE(p.value("parameters").toDouble(), c.value("parameters").toDouble());
            QCOMPARE(p.value("forward_flops").toDouble(), c.value("forward_flops").toDouble());
        }
    }

    void temporalOrderTrainsPreviewsAndBenches() {
        QTemporaryDir dir;
        const QString out = dir.filePath("run");
        auto r = run({"train", "--task", "temporal-order", "--variant", "sort", "--frames", "3",
                      "--steps", "4", "--out", out, "--size", "32", "--batch", "8", "--param",
                      "base_channels=8"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("windows of 5 frames"));
        QVERIFY(r.out.contains("held-out: accuracy"));
        r = run({"preview", "--task", "temporal-order", "--variant", "verify", "--size", "32",
                 "--out", dir.filePath("t.png"), "--count", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("(b,a,d)"));
        QCOMPARE(QImage(dir.filePath("t.png")).isNull(), false);
        r = run({"bench", "--task", "temporal-order", "--size", "32", "--batch", "4", "--steps",
                 "1", "--video-frames", "120", "--budget-mb", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("index pass") && r.out.contains("clips read"), qPrintable(r.out));
        QVERIFY(r.out.contains("tuples made"));
        QVERIFY(r.out.contains("budget"));
    }

    // train --monitor on a folder per class: the k-NN lines, the metrics.csv columns, and
    // `knn --run` measuring the same encoder on the same images (the same figure).
    void knnMonitorAndCommandAgree() {
        QTemporaryDir dir;
        const QString labels = dir.filePath("labels");
        QVERIFY(writeColourClasses(labels, 24, 20));
        const QString out = dir.filePath("run");
        auto r = run({"train", "--task", "rotation", "--steps", "6", "--size", "32", "--batch", "8",
                      "--param", "base_channels=8", "--out", out, "--monitor", labels,
                      "--monitor-every", "3", "--monitor-stage", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("step 3: k-NN accuracy") && r.out.contains("random-init encoder"),
                 qPrintable(r.out));
        QFile csv(out + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        const auto column = lines.front().split(',').indexOf("knn_accuracy");
        QVERIFY(column > 0);
        const QString last = lines.back().split(',').value(column);
        QVERIFY2(!last.isEmpty(), qPrintable(lines.back())); // measured at the last step
        // The run judged stage 2 (config.json says so); the command, asked the same, agrees.
        QFile config(out + "/config.json");
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject settings = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(settings.value("monitor_stage").toInt(), 2);
        QVERIFY(settings.value("monitor_note").toString().endsWith("stage 2"));
        r = run({"knn", "--run", out, "--labels", labels}); // the run's stage by default
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value("checkpoint_step").toInt(), 6);
        QCOMPARE(json.value("stage").toInt(), 2);
        QCOMPARE(json.value("knn_accuracy").toDouble(), last.toDouble());
        r = run({"knn", "--run", out, "--labels", labels, "--stage", "9"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("stages 1 to 3"), qPrintable(r.err));
        QCOMPARE(json.value("chance").toDouble(), 0.5);
        r = run({"knn", "--run", out, "--labels", dir.filePath("none")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("none"), qPrintable(r.err));
    }

    // embed: the map of a run's features as a picture, a table and tensors that Python's
    // torch.load reads, in the table's order; unlabelled images coloured by brightness;
    // bad requests named.
    void embedWritesMapsPythonReads() {
        QTemporaryDir dir;
        const QString labels = dir.filePath("labels");
        QVERIFY(writeColourClasses(labels, 24, 20));
        const QString out = dir.filePath("run");
        auto r = run({"train", "--task", "rotation", "--steps", "2", "--size", "32", "--batch", "8",
                      "--param", "base_channels=8", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString png = dir.filePath("map.png"), csv = dir.filePath("map.csv"),
                      pt = dir.filePath("features.pt");
        r = run(
            {"embed", "--run", out, "--images", labels, "--out", png, "--out", csv, "--out", pt});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value("checkpoint_step").toInt(), 2);
        QCOMPARE(json.value("count").toInt(), 10); // the test split: 20% of 48
        QCOMPARE(json.value("stage").toInt(), 3);
        QVERIFY(json.value("method").toString().startsWith("t-SNE"));
        QVERIFY(json.contains("silhouette") && json.contains("silhouette_random_init"));
        QImage picture(png);
        QVERIFY(!picture.isNull() && picture.width() >= 600);
        QFile table(csv);
        QVERIFY(table.open(QIODevice::ReadOnly));
        const QStringList rows = QString::fromUtf8(table.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 11);
        QCOMPARE(rows.front(), QStringLiteral("x,y,label,class,name"));
        QStringList names, classes;
        for (int i = 1; i < rows.size(); ++i) {
            const QStringList cells = rows[i].split(',');
            classes << cells.value(2);
            names << cells.value(4).remove('"');
        }
        QProcess probe;
        probe.start(QStringLiteral("/usr/bin/python3"), {"-c", "import torch"});
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0) {
            QSKIP("Debian's python3-torch is not installed (the set-up command installs it)");
        }
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"),
                 {"-c",
                  "import sys, torch\n"
                  "d = torch.load(sys.argv[1])\n"
                  "f = d['features']\n"
                  "assert isinstance(f, torch.Tensor) and f.dtype == torch.float32, type(f)\n"
                  "print(tuple(f.shape), [tuple(s.shape) for s in d['stages']], d['stage'])\n"
                  "assert torch.equal(f, d['stages'][d['stage'] - 1])\n"
                  "print(','.join(str(int(v)) for v in d['labels']))\n"
                  "print('|'.join(d['names']))\n"
                  "print(d['classes'], d['task'], d['step'], tuple(d['points'].shape))\n",
                  pt});
        QVERIFY(py.waitForFinished(60000));
        const QStringList lines =
            QString::fromUtf8(py.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(py.exitCode() == 0 && lines.size() == 4,
                 qPrintable(QString::fromUtf8(py.readAllStandardError()) + lines.join('\n')));
        QCOMPARE(lines[0], QStringLiteral("(10, 32) [(10, 8), (10, 16), (10, 32)] 3"));
        QCOMPARE(lines[1], classes.join(','));
        QCOMPARE(lines[2], names.join('|'));
        QCOMPARE(lines[3], QStringLiteral("['cold', 'warm'] rotation 2 (10, 2)"));

        // Unlabelled images (one folder of them): coloured by brightness, mapped by PCA.
        r = run({"embed", "--run", out, "--images", labels + "/warm", "--method", "pca", "--stage",
                 "1", "--out", csv});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        table.close();
        QVERIFY(table.open(QIODevice::ReadOnly));
        QVERIFY(table.readLine().startsWith("x,y,brightness,name"));
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8())
                    .object()
                    .value("method")
                    .toString()
                    .startsWith("PCA"));

        r = run({"embed", "--run", out, "--images", labels, "--out", dir.filePath("map.txt")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(".png, .csv or .pt"), qPrintable(r.err));
        r = run({"embed", "--run", out, "--images", dir.filePath("none"), "--out", csv});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(dir.filePath("none")), qPrintable(r.err));
        r = run({"embed", "--run", out, "--images", labels, "--stage", "9", "--out", csv});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("stages 1 to 3"), qPrintable(r.err));

        // Its benchmark prints the map's and the neighbour queries' figures (and the peer's
        // ratio, or why there is none).
        r = run({"bench", "--embedding", "--map-points", "300", "--neighbour-bank", "5000"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("300 points of 128 features") && r.out.contains("t-SNE") &&
                     r.out.contains("peer: scikit-learn") &&
                     r.out.contains("5000 features of 128") && r.out.contains("ms per query"),
                 qPrintable(r.out));
    }

    // saliency: the grid written for an image task and for a video task (the demo video's
    // clips), and a video task refused other images with the reason.
    void saliencyWritesItsGrid() {
        QTemporaryDir dir;
        for (const QString task : {"rotation", "temporal-order"}) {
            const QString out = dir.filePath(task);
            auto r = run({"train", "--task", task, "--data", "demo", "--steps", "2", "--size", "32",
                          "--batch", "4", "--param", "base_channels=8", "--out", out});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QString png = dir.filePath(task + ".png");
            r = run({"saliency", "--run", out, "--count", "3", "--out", png});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
            QCOMPARE(json.value("samples").toInt(), 3);
            QCOMPARE(json.value("checkpoint_step").toInt(), 2);
            QVERIFY(!QImage(png).isNull());
        }
        auto r = run({"saliency", "--run", dir.filePath("temporal-order"), "--images",
                      "fashion-mnist", "--out", dir.filePath("x.png")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("demo video"), qPrintable(r.err));
    }

    // train --data on IDX files (labels unused), then the linear probe of that run.
    void probeJudgesARunsEncoder() {
        QTemporaryDir dir;
        writeIdxPair(dir.path(), "train", 240);
        writeIdxPair(dir.path(), "t10k", 80);
        const QString runDir = dir.filePath("run");
        auto r = run({"train", "--task", "inpainting", "--data", dir.path(), "--size", "16",
                      "--batch", "8", "--steps", "3", "--out", runDir});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("240 training images"), qPrintable(r.out));
        r = run({"train", "--resume", runDir, "--steps", "4"}); // config.json names the IDX source
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        r = run({"probe", "--run", runDir, "--labels", dir.path(), "--train-size", "160",
                 "--test-size", "60", "--seed", "3", "--json", dir.filePath("probe.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value("task").toString(), QStringLiteral("inpainting"));
        QCOMPARE(o.value("checkpoint_step").toInt(), 4);
        QCOMPARE(o.value("train_size").toInt(), 160);
        QCOMPARE(o.value("test_size").toInt(), 60);
        QCOMPARE(o.value("seed").toInt(), 3);
        QCOMPARE(o.value("chance").toDouble(), 0.5);
        QCOMPARE(o.value("stages").toArray().size(), 3);
        QCOMPARE(o.value("random_weights").toArray().size(), 3);
        QCOMPARE(o.value("stages").toArray()[2].toObject().value("dims").toInt(),
                 128); // 4 x width 32
        QCOMPARE(o.value("raw_pixels").toObject().value("dims").toInt(), 144);
        // Halves bright at the top or on the left: raw pixels separate them.
        QVERIFY2(o.value("raw_pixels").toObject().value("accuracy").toDouble() > 0.9,
                 qPrintable(r.out));
        QVERIFY(QFile::exists(dir.filePath("probe.json")));
        QVERIFY(QFile::exists(runDir + "/probe.json")); // kept with the run for the window

        // A checkpoint on its own carries its run's config.
        QVERIFY(QFile::copy(runDir + "/checkpoint.pt", dir.filePath("moved.pt")));
        r = run({"probe", "--run", dir.filePath("moved.pt"), "--labels", dir.path(), "--train-size",
                 "160", "--test-size", "60", "--seed", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject loose = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(loose.value("stages").toArray()[2].toObject().value("accuracy").toDouble(),
                 o.value("stages").toArray()[2].toObject().value("accuracy").toDouble());
        r = run({"probe", "--run", dir.filePath("t10k-labels-idx1-ubyte")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("t10k-labels-idx1-ubyte: the file is not a checkpoint"),
                 qPrintable(r.err));
        r = run({"probe", "--run", dir.filePath("nothing")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nothing"), qPrintable(r.err));
        r = run({"probe", "--run", runDir, "--labels", dir.filePath("no-such-labels")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no-such-labels: no such folder"), qPrintable(r.err));
    }

    void aFileThatIsNoVideoIsNamed() {
        QTemporaryDir dir;
        const QString fake = dir.filePath("notes.avi");
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("plain text, not a video");
        f.close();
        auto r = run(
            {"train", "--task", "temporal-order", "--data", fake, "--out", dir.filePath("run")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("notes.avi") && r.err.contains("cannot be opened as a video"),
                 qPrintable(r.err));
    }

    // train --resume: 2 × 6 steps write the losses of 12 steps straight.
    void resumeContinuesTheRunExactly() {
        QTemporaryDir dir;
        // Routes fixed, not measured: the straight run and the halves are separate processes
        // that could measure differently (a resume itself takes the routes its run recorded).
        const QStringList common{
            "train",  "--task", "jigsaw",  "--size",          "32",       "--batch", "8",
            "--grid", "2",      "--param", "base_channels=8", "--device", "cpu",     "--conv-route",
            "fast"};
        auto r = run(common + QStringList{"--steps", "12", "--out", dir.filePath("straight")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run(common + QStringList{"--steps", "6", "--out", dir.filePath("halves")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run({"train", "--resume", dir.filePath("halves"), "--steps", "12"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("from step 6"), qPrintable(r.out));
        QCOMPARE(lossesOf(dir.filePath("halves/metrics.csv")),
                 lossesOf(dir.filePath("straight/metrics.csv")));
        // The report of the resumed run, written headless.
        r = run({"report", dir.filePath("halves")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(dir.filePath("halves/report/report.html")));
        QVERIFY(!QImage(dir.filePath("halves/report/loss.png")).isNull());
        QVERIFY(!QImage(dir.filePath("halves/report/accuracy.png")).isNull());
        r = run({"report", dir.filePath("nothing")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nothing"), qPrintable(r.err));
        r = run({"train", "--resume", dir.filePath("halves"), "--steps", "12"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already at step 12"), qPrintable(r.err));
        r = run(
            {"train", "--resume", dir.filePath("halves"), "--steps", "20", "--task", "inpainting"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--task cannot be given with --resume"), qPrintable(r.err));
        r = run({"train", "--resume", dir.filePath("nothing"), "--steps", "20"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("does not exist"), qPrintable(r.err));
    }

    // A run killed with SIGKILL leaves metrics.csv a valid CSV prefix and a checkpoint
    // its manifest vouches for, and goes on from there.
    void killedRunKeepsValidMetricsAndResumes() {
        QTemporaryDir dir;
        const QString out = dir.filePath("run");
        QProcess p;
        p.start(PRETEXT_BINARY, {"train", "--task", "inpainting", "--size", "32", "--batch", "4",
                                 "--param", "base_channels=8", "--device", "cpu", "--steps",
                                 "100000", "--checkpoint-every", "3", "--out", out});
        QVERIFY(p.waitForStarted());
        QFile metrics(QDir(out).filePath("metrics.csv"));
        QTRY_VERIFY_WITH_TIMEOUT(metrics.size() > 0 &&
                                     QFile::exists(QDir(out).filePath("checkpoint.json")) &&
                                     metrics.size() > 2000,
                                 60000);
        p.kill(); // SIGKILL: no handler runs, nothing is flushed or finished
        QVERIFY(p.waitForFinished());
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QByteArray text = metrics.readAll();
        metrics.close();
        QVERIFY(text.endsWith('\n'));
        const QList<QByteArray> lines = text.trimmed().split('\n');
        const qsizetype columns = lines.front().count(',') + 1;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            QCOMPARE(lines[i].count(',') + 1, columns);
            QCOMPARE(lines[i].split(',').front().toLongLong(), i);
        }
        auto r = run({"train", "--resume", out, "--steps", QString::number(lines.size() + 5)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto after = lossesOf(QDir(out).filePath("metrics.csv"));
        QCOMPARE(after.size(), lines.size() + 5); // 1..N+5, each once
        QCOMPARE(after.lastKey(), static_cast<int>(lines.size() + 5));
    }

    void configFileDrivesARunAndBadKeysAreNamed() {
        QTemporaryDir dir;
        QFile cfg(dir.filePath("cfg.json"));
        QVERIFY(cfg.open(QIODevice::WriteOnly));
        cfg.write(R"({"task": "colorization", "params": {"mode": "classes", "base_channels": 8},
                     "batch_size": 4, "max_steps": 3, "seed": 9,
                     "data": {"source": "demo", "size_px": 32, "count": 64}})");
        cfg.close();
        auto r = run({"train", "--config", cfg.fileName(), "--out", dir.filePath("run")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("step 3/3"), qPrintable(r.out));
        QFile written(dir.filePath("run/config.json"));
        QVERIFY(written.open(QIODevice::ReadOnly));
        const auto json = QJsonDocument::fromJson(written.readAll()).object();
        QCOMPARE(json.value("params").toObject().value("mode").toString(), QString("classes"));
        QCOMPARE(json.value("seed").toString(), QString("9"));
        QCOMPARE(json.value("data").toObject().value("size_px").toInt(), 32);
        // A run's own config.json is a config too.
        r = run({"train", "--config", written.fileName(), "--out", dir.filePath("again"), "--steps",
                 "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        QVERIFY(cfg.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cfg.write(R"({"task": "colorization", "lerning_rate": 0.1, "params": {"mode": "hsv"}})");
        cfg.close();
        r = run({"train", "--config", cfg.fileName(), "--out", dir.filePath("bad")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cfg.json") && r.err.contains("lerning_rate: unknown key") &&
                     r.err.contains("params.mode: 'hsv'"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("bad")));
        QVERIFY(cfg.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cfg.write(R"({"task": "colorization",)");
        cfg.close();
        r = run({"train", "--config", cfg.fileName(), "--out", dir.filePath("bad")});
        QVERIFY2(r.err.contains("not valid JSON"), qPrintable(r.err));
    }

    void previewWritesSheet() {
        QTemporaryDir dir;
        const QString png = dir.filePath("sheet.png");
        auto r = run({"preview", "--task", "inpainting", "--data", "demo", "--out", png, "--mask",
                      "patches", "--seed", "4"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QImage sheet(png);
        QVERIFY(!sheet.isNull());
        QVERIFY(sheet.width() > 300 && sheet.height() > 300);
    }

    // --screenshot: the window, offscreen, after a few steps, as a PNG of its size.
    void screenshotWritesTheWindow() {
        QTemporaryDir dir;
        const QString png = dir.filePath("window.png");
        auto r = run({"--screenshot", png, "--task", "rotation", "--steps", "3", "--param",
                      "base_channels=8"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("wrote " + png + " (1500x950)"), qPrintable(r.out));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1500, 950));
        // Not blank: the window's widgets, thumbnails and plots give many colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY2(colours.size() > 500, qPrintable(QString::number(colours.size())));
        r = run({"--screenshot", dir.filePath("no/such/folder/x.png")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("could not be written"), qPrintable(r.err));
    }

    // --max-megapixels: an image over it is named and skipped, the rest is used.
    void imageLimitIsAnOption() {
        QTemporaryDir dir;
        QImage big(1300, 1000, QImage::Format_RGB32), small(64, 64, QImage::Format_RGB32);
        big.fill(Qt::darkGreen);
        small.fill(Qt::red);
        QVERIFY(big.save(dir.filePath("big.png")) && small.save(dir.filePath("small.png")));
        auto r = run({"preview", "--task", "inpainting", "--data", dir.path(), "--out",
                      dir.filePath("a.png"), "--max-megapixels", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(dir.filePath("big.png") +
                                ": is too large: its PNG header says 1300x1000 pixels "
                                "(1.3 MP), over the limit of 1.0 MP"),
                 qPrintable(r.err));
        r = run({"preview", "--task", "inpainting", "--data", dir.path(), "--out",
                 dir.filePath("b.png")});
        QVERIFY2(r.exitCode == 0 && !r.err.contains("big.png"), qPrintable(r.err));
    }

    void badInputGivesMessageAndExitCode_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing path")
            << QStringList{"train", "--data", "/no/such/folder", "--out", "X"} << 1
            << "/no/such/folder";
        QTest::newRow("unknown option") << QStringList{"train", "--bogus"} << 2 << "bogus";
        QTest::newRow("bad mask") << QStringList{"preview", "--mask", "circle", "--out", "x.png"}
                                  << 2 << "circle";
        QTest::newRow("bad steps")
            << QStringList{"train", "--steps", "ten", "--out", "X"} << 2 << "--steps";
        QTest::newRow("no out") << QStringList{"train", "--steps", "3"} << 2 << "--out";
        QTest::newRow("bad colour mode")
            << QStringList{"train", "--task", "colorization", "--mode", "sepia", "--out", "X"} << 2
            << "regression, classes";
        QTest::newRow("bad variant")
            << QStringList{"train", "--task", "temporal-order", "--variant", "reverse",
                           "--out", "X"}
            << 2 << "verify, sort";
        QTest::newRow("too many frames")
            << QStringList{"train", "--task", "temporal-order", "--frames", "6", "--out", "X"} << 2
            << "frames";
        QTest::newRow("variant of another task")
            << QStringList{"train", "--task", "jigsaw", "--variant", "sort", "--out", "X"} << 2
            << "no parameter 'variant'";
        QTest::newRow("videos and images mixed")
            << QStringList{"preview", "--task", "temporal-order", "--data", "a.avi",
                           "--data",  "b.png",  "--out",          "x.png"}
            << 2 << "not both";
        QTest::newRow("mode of another task")
            << QStringList{"preview", "--task", "jigsaw", "--mode", "classes", "--out", "x.png"}
            << 2 << "no parameter 'mode'";
    }

    void badInputGivesMessageAndExitCode() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        // Relative outputs land in the temporary folder, never in the source tree.
        for (QString& a : args) {
            if (a == "X" || a == "x.png") {
                a = dir.filePath(a);
            }
        }
        auto r = run(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void emptyFolderIsAClearError() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("empty"));
        auto r = run({"train", "--data", dir.filePath("empty"), "--out", dir.filePath("run")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no image files"), qPrintable(r.err));
    }

    void brokenImageIsSkippedAndReported() {
        QTemporaryDir dir;
        QImage good(40, 40, QImage::Format_RGB888);
        good.fill(Qt::blue);
        QVERIFY(good.save(dir.filePath("good.png")));
        QFile bad(dir.filePath("bad.jpg"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("garbage");
        bad.close();
        auto r = run({"preview", "--data", dir.path(), "--out", dir.filePath("p.png")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("bad.jpg"), qPrintable(r.err));
        QVERIFY(r.out.contains("1 images"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
