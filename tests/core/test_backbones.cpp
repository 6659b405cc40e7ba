// The backbones: ResNets built as torchvision builds them (sizes, names, strides), every
// task training on each, state dicts written and read back as torch.save files, the
// bad files each refused with a reason, and the gradient accumulation and bfloat16 paths.
#include "../common/SmallRuns.h"
#include "DemoData.h"
#include "DemoVideo.h"
#include "Models.h"
#include "StateDict.h"
#include "Threads.h"
#include "Trainer.h"
#include "tasks/Backbones.h"
#include "tasks/Registry.h"

#include <QTemporaryDir>
#include <QtTest>
#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <fstream>

using namespace pretext;

namespace {
Encoder resnet(Backbone backbone, bool smallStem, int64_t inChannels = 3) {
    EncoderOptions o;
    o.backbone = backbone;
    o.smallInputStem = smallStem;
    o.inChannels = inChannels;
    return Encoder(o);
}

ParamValues withBackbone(const Task& task, Backbone backbone) {
    ParamValues p = withDefaults(task.info(), {});
    p["backbone"] = static_cast<double>(backbone);
    return p;
}

void writeBytes(const QString& path, const std::string& bytes) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << bytes;
}

// A torch.save-style zip archive around a pickle written by hand.
std::string archive(const std::string& pickle, bool script = false) {
    std::string out;
    caffe2::serialize::PyTorchStreamWriter w([&](const void* b, size_t n) {
        out.append(static_cast<const char*>(b), n);
        return n;
    });
    w.writeRecord("data.pkl", pickle.data(), pickle.size());
    if (script) { // what torch.jit.save adds beside the module's pickle
        w.writeRecord("constants.pkl", pickle.data(), pickle.size());
    }
    w.writeEndOfFile();
    return out;
}
} // namespace

class TestBackbones : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(2); }

    // torchvision's parameter counts without the classifier (fc: 512*1000+1000, and
    // 2048*1000+1000 for resnet50) and its state dict sizes (122, 218 and 320, less fc's 2).
    void resnetsHaveTorchvisionsSizes_data() {
        QTest::addColumn<int>("backbone");
        QTest::addColumn<qint64>("parameters");
        QTest::addColumn<int>("entries");
        QTest::addColumn<int>("outChannels");
        QTest::newRow("resnet18") << 1 << qint64{11689512 - 513000} << 120 << 512;
        QTest::newRow("resnet34") << 2 << qint64{21797672 - 513000} << 216 << 512;
        QTest::newRow("resnet50") << 3 << qint64{25557032 - 2049000} << 318 << 2048;
    }

    void resnetsHaveTorchvisionsSizes() {
        QFETCH(int, backbone);
        QFETCH(qint64, parameters);
        QFETCH(int, entries);
        QFETCH(int, outChannels);
        auto e = resnet(static_cast<Backbone>(backbone), false);
        QCOMPARE(parameterCount(*e), parameters);
        const StateDict dict = encoderStateDict(*e);
        QCOMPARE(static_cast<int>(dict.size()), entries);
        QCOMPARE(QString::fromStdString(dict.front().first), QStringLiteral("conv1.weight"));
        QCOMPARE(e->stageCount(), 4);
        QCOMPARE(e->outChannels(), static_cast<int64_t>(outChannels));
        QCOMPARE(QString::fromStdString(guessArchitecture(dict)),
                 QString::fromStdString(backboneName(static_cast<Backbone>(backbone))) +
                     " (ImageNet stem)");
    }

    void stemsSetTheOutputStride() {
        torch::NoGradGuard noGrad;
        auto imagenet = resnet(Backbone::ResNet18, false);
        auto small = resnet(Backbone::ResNet18, true);
        imagenet->eval();
        small->eval();
        const auto x = torch::rand({2, 3, 64, 64});
        QCOMPARE(imagenet->forward(x).sizes().vec(), (std::vector<int64_t>{2, 512, 2, 2}));
        QCOMPARE(small->forward(x).sizes().vec(), (std::vector<int64_t>{2, 512, 8, 8}));
        QCOMPARE(imagenet->outputStride(), int64_t{32});
        QCOMPARE(small->outputStride(), int64_t{8});
        const auto stages = small->stageOutputs(x);
        QCOMPARE(static_cast<int>(stages.size()), 4);
        QCOMPARE(stages[1].size(1), int64_t{128});
        QCOMPARE(stages[1].size(2), int64_t{32}); // stride 1, then 2 from layer2 on
        QVERIFY(torch::equal(stages.back(), small->forward(x)));
        QCOMPARE(small->stageOf("layer3.1.bn2.running_mean"), 3);
        QCOMPARE(small->stageOf("bn1.weight"), 0);
    }

    void autoStemFollowsWhatTheEncoderSees() {
        auto rotation = makeTask("rotation");
        auto jigsaw = makeTask("jigsaw");
        auto p = withBackbone(*rotation, Backbone::ResNet18);
        QCOMPARE(resolveStem(*rotation, p, 64).at("stem"),
                 static_cast<double>(StemChoice::SmallInput));
        QCOMPARE(resolveStem(*rotation, p, 128).at("stem"),
                 static_cast<double>(StemChoice::ImageNet));
        // 128 px cut into 3x3 leaves tiles far below 96 px.
        QCOMPARE(resolveStem(*jigsaw, withBackbone(*jigsaw, Backbone::ResNet18), 128).at("stem"),
                 static_cast<double>(StemChoice::SmallInput));
        p["stem"] = static_cast<double>(StemChoice::ImageNet);
        QCOMPARE(resolveStem(*rotation, p, 32).at("stem"),
                 static_cast<double>(StemChoice::ImageNet)); // a choice made stays
    }

    void everyTaskTrainsOnEveryBackbone_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<int>("backbone");
        for (const auto& name : taskNames()) {
            for (int b = 1; b <= 3; ++b) {
                // resnet18 for every task; the deeper ones where the head differs most (a
                // classifier, a decoder), to keep the suite short.
                if (b > 1 && name != "rotation" && !(b == 3 && name == "inpainting")) {
                    continue;
                }
                const std::string row = name + " " + backboneNames()[b];
                QTest::newRow(row.c_str()) << QString::fromStdString(name) << b;
            }
        }
    }

    void everyTaskTrainsOnEveryBackbone() {
        QFETCH(QString, task);
        QFETCH(int, backbone);
        auto t = makeTask(task.toStdString());
        TrainConfig cfg;
        cfg.task = task.toStdString();
        cfg.params = withBackbone(*t, static_cast<Backbone>(backbone));
        cfg.batchSize = 2;
        cfg.heldOutCount = 2;
        cfg.convRoute = "libtorch";
        std::unique_ptr<Trainer> trainer;
        if (t->info().video) {
            trainer = std::make_unique<Trainer>(cfg, makeDemoVideo(2, 24, 32, 1));
        } else {
            trainer = std::make_unique<Trainer>(cfg, makeDemoImages(8, 48, 1));
        }
        const auto before = trainer->model().encoder()->parameters().front().clone();
        const StepResult r = trainer->step();
        QVERIFY(std::isfinite(r.loss));
        QVERIFY(!torch::equal(before, trainer->model().encoder()->parameters().front()));
        QCOMPARE(trainer->model().encoder()->stageCount(), 4);
        // The run's config says which stem "auto" became.
        QCOMPARE(trainer->config().params.at("stem"), static_cast<double>(StemChoice::SmallInput));
    }

    void aDecoderRefusesASizeItCannotRebuild() {
        auto t = makeTask("inpainting");
        auto p = withBackbone(*t, Backbone::ResNet18);
        p["stem"] = static_cast<double>(StemChoice::ImageNet);
        auto model = t->makeModel(p);
        try {
            model->forward(torch::rand({1, 4, 48, 48}));
            QFAIL("a 48 px image went through a stride-32 encoder-decoder");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("multiple of 32"), e.what());
        }
        QCOMPARE(model->forward(torch::rand({1, 4, 64, 64})).size(2), int64_t{64});
    }

    void stateDictsRoundTrip() {
        QTemporaryDir dir;
        const QString path = dir.filePath("encoder.pt");
        auto a = resnet(Backbone::ResNet18, true);
        {
            torch::NoGradGuard noGrad;
            for (auto& p : a->parameters()) {
                p.add_(torch::randn_like(p)); // not the initialisation
            }
        }
        saveStateDict(encoderStateDict(*a), path.toStdString());
        QVERIFY(!QFile::exists(path + ".partial"));
        const StateDict read = loadStateDict(path.toStdString());
        QCOMPARE(read.size(), encoderStateDict(*a).size());
        auto b = resnet(Backbone::ResNet18, true);
        loadEncoderState(*b, read, path.toStdString());
        const StateDict x = encoderStateDict(*a), y = encoderStateDict(*b);
        for (size_t i = 0; i < x.size(); ++i) {
            QCOMPARE(x[i].first, y[i].first);
            QVERIFY2(torch::equal(x[i].second, y[i].second), x[i].first.c_str());
        }
        // Up to a stage: the stem and the stages before, nothing after.
        const StateDict two = encoderStateDict(*a, 2);
        QVERIFY(std::none_of(two.begin(), two.end(), [](const auto& e) {
            return e.first.rfind("layer3", 0) == 0 || e.first.rfind("layer4", 0) == 0;
        }));
        QVERIFY(std::any_of(two.begin(), two.end(),
                            [](const auto& e) { return e.first.rfind("layer2", 0) == 0; }));
    }

    void badStateDictsAreNamed_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("said");
        QTest::newRow("another architecture")
            << "resnet50"
            << "(it looks like resnet50 (ImageNet stem)); unexpected 198";
        QTest::newRow("another stem") << "stem"
                                      << "shapes differ: conv1.weight is (64, 3, 7, 7)";
        QTest::newRow("a key missing") << "missing"
                                       << "missing 1: layer4.1.bn2.running_var";
        QTest::newRow("a key extra") << "extra"
                                     << "unexpected 1: head.weight";
        QTest::newRow("not a dict") << "list"
                                    << "holds a list, not a state dict";
        QTest::newRow("TorchScript") << "script"
                                     << "a TorchScript module";
        QTest::newRow("not torch.save") << "text"
                                        << "not a file written by torch.save";
        QTest::newRow("cut short") << "cut"
                                   << "encoder.pt";
        QTest::newRow("legacy format") << "legacy"
                                       << "legacy format";
        QTest::newRow("a Python object") << "object"
                                         << "refers to the Python object 'os.system'";
    }

    void badStateDictsAreNamed() {
        QFETCH(QString, kind);
        QFETCH(QString, said);
        QTemporaryDir dir;
        const QString path = dir.filePath("encoder.pt");
        auto target = resnet(Backbone::ResNet18, true);
        StateDict dict = encoderStateDict(*target);
        if (kind == "resnet50") {
            dict = encoderStateDict(*resnet(Backbone::ResNet50, false));
        } else if (kind == "stem") {
            dict = encoderStateDict(*resnet(Backbone::ResNet18, false));
        } else if (kind == "missing") {
            dict.pop_back();
            dict.pop_back(); // num_batches_tracked, then running_var of the last BN
            dict.push_back(encoderStateDict(*target).back());
        } else if (kind == "extra") {
            dict.emplace_back("head.weight", torch::zeros({2, 2}));
        }
        if (kind == "script") {
            writeBytes(path, archive(std::string("\x80\x02}.", 4), true));
        } else if (kind == "list") {
            static const char list[] = "\x80\x02]q\x00K\x01"
                                       "a."; // [1], as Python pickles it
            writeBytes(path, archive(std::string(list, sizeof list - 1)));
        } else if (kind == "text") {
            writeBytes(path, "not a tensor file at all");
        } else if (kind == "cut") {
            saveStateDict(dict, path.toStdString());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(f.size() / 2));
        } else if (kind == "legacy") {
            writeBytes(path, std::string("\x80\x02\x8a\x0alegacy", 10));
        } else if (kind == "object") {
            // An archive whose pickle would run os.system("true") if Python loaded it.
            static const char hostile[] = "\x80\x02"
                                          "cos\nsystem\n"
                                          "X\x04\x00\x00\x00true"
                                          "\x85R.";
            writeBytes(path, archive(std::string(hostile, sizeof hostile - 1)));
        } else {
            saveStateDict(dict, path.toStdString());
        }
        try {
            loadEncoderState(*target, loadStateDict(path.toStdString()), path.toStdString());
            QFAIL("a bad state dict was accepted");
        } catch (const StateDictError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(path), e.what());
            QVERIFY2(message.contains(said), e.what());
        }
    }

    void initStartsTheEncoderFromAFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("encoder.pt");
        auto source = resnet(Backbone::ResNet18, true);
        saveStateDict(encoderStateDict(*source), path.toStdString());
        auto t = makeTask("rotation");
        TrainConfig cfg;
        cfg.task = "rotation";
        cfg.params = withBackbone(*t, Backbone::ResNet18);
        cfg.batchSize = 2;
        cfg.initEncoder = path.toStdString();
        Trainer trainer(cfg, makeDemoImages(8, 32, 1));
        const StateDict got = encoderStateDict(*trainer.model().encoder());
        const StateDict want = encoderStateDict(*source);
        for (size_t i = 0; i < got.size(); ++i) {
            QVERIFY2(torch::equal(got[i].second, want[i].second), got[i].first.c_str());
        }
        cfg.params = withDefaults(t->info(), {}); // the small backbone
        QVERIFY_THROWS_EXCEPTION(TrainingError, Trainer(cfg, makeDemoImages(8, 32, 1)));
    }

    // K batches, one update: the step counts updates, the loss is the batches' mean.
    void accumulationMakesOneUpdateOfKBatches() {
        TrainConfig cfg = smallRotation();
        cfg.accumulate = 3;
        Trainer trainer(cfg, makeDemoImages(32, 32, 1));
        const StepResult r = trainer.step();
        QCOMPARE(r.step, int64_t{1});
        QVERIFY(std::isfinite(r.loss));
        cfg.accumulate = 0;
        QVERIFY_THROWS_EXCEPTION(TrainingError, Trainer(cfg, makeDemoImages(32, 32, 1)));
    }

    void bfloat16AutocastTrains() {
        TrainConfig cfg = smallRotation();
        cfg.precision = "bf16";
        Trainer trainer(cfg, makeDemoImages(16, 32, 1));
        try {
            const StepResult r = trainer.step();
            QVERIFY(std::isfinite(r.loss));
        } catch (const c10::Error& e) {
            QSKIP(qPrintable(QStringLiteral("LibTorch's CPU autocast cannot run this model: ") +
                             QString::fromUtf8(e.what_without_backtrace()).left(200)));
        }
        // The weights stay float32; autocast only changes the forward pass.
        QCOMPARE(trainer.model().parameters().front().scalar_type(), torch::kFloat);
        cfg.precision = "fp8";
        QVERIFY_THROWS_EXCEPTION(TrainingError, Trainer(cfg, makeDemoImages(16, 32, 1)));
    }
};

QTEST_GUILESS_MAIN(TestBackbones)
#include "test_backbones.moc"
