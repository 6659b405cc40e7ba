// Encoders into and out of PyTorch, checked by Python itself (Debian's python3-torch and
// python3-torchvision, which the set-up command installs): an exported ResNet-18 loads
// into torchvision's and computes the same features; a torchvision state dict starts a
// run (--init) and comes back out with its weights; the probe judges a state dict file.
#include "../common/RunProgram.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {
// Runs Python with a script and arguments; its exit code and output.
Result python(const QString& script, const QStringList& args, int timeoutMs = 120000) {
    return runProgram(QStringLiteral("/usr/bin/python3"), QStringList{"-c", script} + args,
                      timeoutMs);
}

// torchvision's ResNet-18 with the small-input stem, as encoder.json's snippet builds it.
const char* const kSmallStemResNet = "import sys, torch, torchvision\n"
                                     "torch.manual_seed(0)\n"
                                     "m = torchvision.models.resnet18()\n"
                                     "m.conv1 = torch.nn.Conv2d(3, 64, 3, 1, 1, bias=False)\n"
                                     "m.maxpool = torch.nn.Identity()\n";
} // namespace

class TestCliPytorch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        const Result r = python("import torch, torchvision, PIL", {});
        if (r.exitCode != 0) {
            QSKIP("Debian's python3-torchvision is not installed (the set-up command installs it)");
        }
    }

    // A trained ResNet-18 run exported, loaded into torchvision.models.resnet18 with only
    // fc.* missing, and both run on the same images: the same features.
    void exportedEncoderIsTorchvisionsResNet() {
        QTemporaryDir dir;
        const QString images = dir.filePath("images");
        QVERIFY(QDir().mkpath(images));
        Result r = python("import sys, torch, PIL.Image\n"
                          "torch.manual_seed(1)\n"
                          "for i in range(6):\n"
                          "    a = (torch.rand(32, 32, 3) * 255).to(torch.uint8).numpy()\n"
                          "    PIL.Image.fromarray(a).save(f'{sys.argv[1]}/img{i}.png')\n",
                          {images});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString runDir = dir.filePath("run");
        r = run({"train", "--task", "rotation", "--backbone", "resnet18", "--steps", "2", "--size",
                 "32", "--batch", "4", "--out", runDir});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString encoder = dir.filePath("encoder.pt");
        r = run({"export", "--run", runDir, "--out", encoder});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value("backbone").toString(), QStringLiteral("resnet18"));
        QCOMPARE(json.value("stem").toString(), QStringLiteral("small-input"));
        QCOMPARE(json.value("steps").toInt(), 2);
        QCOMPARE(json.value("input_size_px").toInt(), 32);
        QCOMPARE(json.value("tensors").toInt(), 120);
        QVERIFY(json.value("input").toString().contains("[-1, 1]"));
        QFile described(dir.filePath("encoder.json"));
        QVERIFY(described.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(described.readAll()).object(), json);

        // The encoder.json snippet, run as it is, loads the file with fc.* missing only.
        r = python("import json, os, sys\nos.chdir(sys.argv[1])\n"
                   "exec(json.load(open('encoder.json'))['python'])\n",
                   {dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("missing_keys=['fc.weight', 'fc.bias'], unexpected_keys=[]"),
                 qPrintable(r.out));

        const QString features = dir.filePath("features.pt");
        r = run(
            {"embed", "--run", runDir, "--images", images, "--method", "pca", "--out", features});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = python(QString::fromLatin1(kSmallStemResNet) +
                       "r = m.load_state_dict(torch.load(sys.argv[1]), strict=False)\n"
                       "assert r.missing_keys == ['fc.weight', 'fc.bias'], r\n"
                       "assert r.unexpected_keys == [], r\n"
                       "m.eval()\n"
                       "d = torch.load(sys.argv[2])\n"
                       "import numpy, PIL.Image\n"
                       "import os\n"
                       "x = torch.stack([torch.from_numpy(numpy.array(PIL.Image.open("
                       "os.path.join(sys.argv[3], n)))).permute(2, 0, 1).float() / 255 "
                       "for n in d['names']])\n"
                       "with torch.no_grad():\n"
                       "    t = m.layer4(m.layer3(m.layer2(m.layer1(m.relu(m.bn1(m.conv1("
                       "x * 2 - 1)))))))\n"
                       "f = t.mean((2, 3))\n"
                       "ours = d['stages'][3]\n"
                       "print(tuple(f.shape), (f - ours).abs().max().item())\n",
                   {encoder, features, images});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList said = r.out.trimmed().split(' ');
        QCOMPARE(said.value(0) + said.value(1), QStringLiteral("(6,512)"));
        QVERIFY2(said.value(2).toDouble() < 1e-4, qPrintable(r.out));
    }

    // Python -> --init -> export: the weights come back. One step at a learning rate of
    // 1e-30 moves no weight of float32 size; the batch norms' running statistics move by
    // their momentum, as any training step moves them.
    void torchvisionWeightsStartARunAndComeBack() {
        QTemporaryDir dir;
        const QString given = dir.filePath("torchvision.pt");
        Result r = python(QString::fromLatin1(kSmallStemResNet) +
                              "for p in m.parameters():\n"
                              "    p.data += 0.01 * torch.randn_like(p)\n"
                              "torch.save(m.state_dict(), sys.argv[1])\n",
                          {given});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString runDir = dir.filePath("run");
        r = run({"train", "--task", "rotation", "--backbone", "resnet18", "--init", given,
                 "--steps", "1", "--lr", "1e-30", "--size", "32", "--batch", "2", "--out", runDir});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile config(QDir(runDir).filePath("config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject c = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(c.value("init_encoder").toString(), QFileInfo(given).absoluteFilePath());
        QCOMPARE(c.value("encoder").toString(), QStringLiteral("resnet18 (small-input stem)"));
        const QString back = dir.filePath("back.pt");
        r = run({"export", "--run", runDir, "--out", back});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = python("import sys, torch\n"
                   "a = torch.load(sys.argv[1]); b = torch.load(sys.argv[2])\n"
                   "assert set(a) - set(b) == {'fc.weight', 'fc.bias'} and set(b) <= set(a)\n"
                   "same = [k for k in b if torch.equal(a[k], b[k])]\n"
                   "moved = sorted(k.rsplit('.', 1)[1] for k in b if k not in same)\n"
                   "print(len(b), len(same), sorted(set(moved)))\n",
                   {given, back});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QStringLiteral("120 60 ['num_batches_tracked', "
                                                 "'running_mean', 'running_var']"));

        // A state dict of another architecture is refused, named.
        const QString resnet50 = dir.filePath("resnet50.pt");
        r = python("import sys, torch, torchvision\n"
                   "torch.save(torchvision.models.resnet50().state_dict(), sys.argv[1])\n",
                   {resnet50});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run({"train", "--task", "rotation", "--backbone", "resnet18", "--init", resnet50,
                 "--steps", "1", "--size", "32", "--out", dir.filePath("refused")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(resnet50) && r.err.contains("it looks like resnet50"),
                 qPrintable(r.err));
    }

    // probe --checkpoint: a PyTorch state dict judged on the program's protocol, its
    // backbone and stem read from the file.
    void probeJudgesAStateDictFile() {
        QTemporaryDir dir;
        const QString given = dir.filePath("torchvision.pt");
        Result r = python(QString::fromLatin1(kSmallStemResNet) +
                              "torch.save(m.state_dict(), sys.argv[1])\n",
                          {given});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString labels = dir.filePath("labels");
        r = python("import sys, os, torch, PIL.Image\n"
                   "torch.manual_seed(2)\n"
                   "for c, tint in (('cold', (0.2, 0.4, 1.0)), ('warm', (1.0, 0.5, 0.2))):\n"
                   "    os.makedirs(f'{sys.argv[1]}/{c}')\n"
                   "    for i in range(20):\n"
                   "        a = torch.rand(16, 16, 1) * torch.tensor(tint) * 255\n"
                   "        PIL.Image.fromarray(a.to(torch.uint8).numpy()).save("
                   "f'{sys.argv[1]}/{c}/{i}.png')\n",
                   {labels});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run({"probe", "--checkpoint", given, "--labels", labels, "--size", "16"}, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value("encoder").toString(), QStringLiteral("resnet18 (small-input stem)"));
        QCOMPARE(json.value("stages").toArray().size(), 4);
        QCOMPARE(json.value("random_weights").toArray().size(), 4);
        QVERIFY(!QFile::exists(dir.filePath("probe.json"))); // nothing written beside the file
        r = run({"probe", "--checkpoint", given, "--backbone", "resnet50", "--labels", labels});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(given) && r.err.contains("resnet18 (small-input stem)"),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliPytorch)
#include "test_cli_pytorch.moc"
