// The Winograd route for 3x3 convolutions computes what LibTorch's conv2d does: the
// output and all three gradients, at the shapes the models use and at awkward ones;
// it is taken only where it applies, and a model trains the same with it as without.
#include "Bench.h"
#include "ConvCheck.h"
#include "ConvKernels.h"
#include "ConvRoutes.h"
#include "Layers.h"
#include "Models.h"
#include "Threads.h"

#include <QtTest>
#include <torch/torch.h>

using namespace pretext;

using namespace convcheck;

class TestWinograd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        configureThreads(2);
        if (!winogradOnThisCpu()) {
            QSKIP("this CPU has no AVX2 and FMA: 3x3 convolutions take oneDNN's route here");
        }
    }

    void matchesConv2d_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("inChannels");
        QTest::addColumn<int>("outChannels");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<bool>("channelsLast");
        // The encoder's 3x3 layers at 64 px (rotation: 4 turns of 32 images).
        QTest::newRow("stage 1: 32 channels at 32x32")
            << 6 << 32 << 32 << 32 << 32 << true << false;
        QTest::newRow("stage 2: 64 channels at 16x16")
            << 5 << 64 << 64 << 16 << 16 << true << false;
        QTest::newRow("stage 3: 128 channels at 8x8") << 9 << 128 << 128 << 8 << 8 << true << false;
        // One tile, a block mostly empty; more channels out than in and fewer; no bias;
        // a map wider than high, and one whose tiles straddle blocks and images.
        QTest::newRow("one 4x4 map") << 1 << 4 << 4 << 4 << 4 << true << false;
        QTest::newRow("8 in, 20 out, 12x4") << 3 << 8 << 20 << 12 << 4 << true << false;
        QTest::newRow("36 in, 12 out, no bias") << 2 << 36 << 12 << 8 << 28 << false << false;
        QTest::newRow("36 in, 32 out at 64x64") << 2 << 36 << 32 << 64 << 64 << true << false;
        QTest::newRow("7 images, 20x44") << 7 << 16 << 8 << 20 << 44 << true << false;
        // Channel counts that are not multiples of 4 (the transformed weights' rows padded):
        // colorization's head at 64 px (the skip image joined to 16 channels, then 2 out).
        QTest::newRow("head: 17 in, 16 out at 64x64") << 2 << 17 << 16 << 64 << 64 << true << false;
        QTest::newRow("head: 16 in, 2 out at 64x64") << 2 << 16 << 2 << 64 << 64 << true << false;
        QTest::newRow("3 in, 5 out, no bias") << 3 << 3 << 5 << 8 << 12 << false << false;
        // Channels-last: the jigsaw encoder's 3x3 layers on 18 px tiles (9x9: tiles
        // partly outside the map), a map of sides not multiples of 4 and fewer channels
        // out, one of 3x5, and a large one whose blocks straddle images.
        QTest::newRow("NHWC: 32 channels at 9x9") << 37 << 32 << 32 << 9 << 9 << true << true;
        QTest::newRow("NHWC: 64 channels at 4x4") << 37 << 64 << 64 << 4 << 4 << true << true;
        QTest::newRow("NHWC: 24 in, 8 out, 7x13, no bias")
            << 3 << 24 << 8 << 7 << 13 << false << true;
        QTest::newRow("NHWC: 8 channels at 3x5") << 5 << 8 << 8 << 3 << 5 << true << true;
        QTest::newRow("NHWC: 32 channels at 32x32") << 6 << 32 << 32 << 32 << 32 << true << true;
    }

    void matchesConv2d() {
        QFETCH(int, batch);
        QFETCH(int, inChannels);
        QFETCH(int, outChannels);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(bool, bias);
        QFETCH(bool, channelsLast);
        torch::manual_seed(11);
        RoutedConv2d conv(
            torch::nn::Conv2dOptions(inChannels, outChannels, 3).padding(1).bias(bias));
        auto x = torch::randn({batch, inChannels, height, width});
        if (channelsLast) {
            x = x.contiguous(at::MemoryFormat::ChannelsLast);
        }
        // Maps whose sides are not multiples of 4 (tiles partly outside) are left to
        // oneDNN, which measured faster there (32 channels at 9x9: 5.0 against 5.3 ms
        // forward); the kernels still handle them, called directly.
        const bool whole = height % 4 == 0 && width % 4 == 0;
        QCOMPARE(offers(*conv, x, ConvRoute::Winograd), whole);

        conv->setRoute(ConvRoute::Winograd);
        const auto mine = outputAndGradients(*conv, x, [&](const torch::Tensor& input) {
            return whole ? conv->forward(input)
                         : kernels::winogradConv3x3(input, conv->weight,
                                                    bias ? conv->bias : torch::Tensor());
        });
        conv->setRoute(ConvRoute::LibTorch);
        const auto theirs = outputAndGradients(
            *conv, x, [&](const torch::Tensor& input) { return conv->forward(input); });
        QString errors;
        // Measured: 1e-6 to 4e-5 (float rounding; the bias gradient is the same sum taken
        // in another order, the weight gradient the same kernel); a wrong tap or a wrong
        // tile gives errors of order 1.
        const QString failure = compare(mine, theirs, 1e-4, errors);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("relative error:%s", qPrintable(errors));
    }

    void takesTheDirectRouteWhereItMust() {
        torch::manual_seed(3);
        RoutedConv2d conv(torch::nn::Conv2dOptions(8, 8, 3).padding(1));
        const auto x = torch::randn({2, 8, 16, 16});
        QVERIFY(offers(*conv, x, ConvRoute::Winograd));
        QVERIFY(!offers(*conv, torch::randn({2, 8, 18, 16}),
                        ConvRoute::Winograd)); // 18 not a multiple of 4
        QVERIFY(!offers(*conv,
                        torch::randn({2, 8, 18, 16}).contiguous(at::MemoryFormat::ChannelsLast),
                        ConvRoute::Winograd));
        QVERIFY(offers(*conv, x.contiguous(at::MemoryFormat::ChannelsLast), ConvRoute::Winograd));
        QVERIFY(!offers(*conv, x.transpose(2, 3), ConvRoute::Winograd));     // neither layout
        RoutedConv2d twelve(torch::nn::Conv2dOptions(12, 12, 3).padding(1)); // NHWC needs 8s
        QVERIFY(offers(*twelve, torch::randn({2, 12, 16, 16}), ConvRoute::Winograd));
        QVERIFY(!offers(*twelve,
                        torch::randn({2, 12, 16, 16}).contiguous(at::MemoryFormat::ChannelsLast),
                        ConvRoute::Winograd));
        QVERIFY(!offers(*conv, x.to(torch::kDouble), ConvRoute::Winograd));
        RoutedConv2d three(torch::nn::Conv2dOptions(3, 8, 3).padding(1));
        QVERIFY(offers(*three, torch::randn({2, 3, 16, 16}),
                       ConvRoute::Winograd)); // any channels in NCHW
        QVERIFY(!offers(*three,
                        torch::randn({2, 3, 16, 16}).contiguous(at::MemoryFormat::ChannelsLast),
                        ConvRoute::Winograd));
        RoutedConv2d strided(torch::nn::Conv2dOptions(8, 8, 3).padding(1).stride(2));
        QVERIFY(!offers(*strided, x, ConvRoute::Winograd));
        RoutedConv2d four(torch::nn::Conv2dOptions(8, 8, 4).padding(1));
        QVERIFY(!offers(*four, x, ConvRoute::Winograd));
        RoutedConv2d unpadded(torch::nn::Conv2dOptions(8, 8, 3));
        QVERIFY(!offers(*unpadded, x, ConvRoute::Winograd));
        RoutedConv2d reflect(
            torch::nn::Conv2dOptions(8, 8, 3).padding(1).padding_mode(torch::kReflect));
        QVERIFY(!offers(*reflect, x, ConvRoute::Winograd));
        // LibTorch's route is the module's own forward(): bit for bit LibTorch's result;
        // and a layer set to Winograd's route meets an input that route cannot take by
        // LibTorch's, bit for bit too.
        const auto plain = conv->torch::nn::Conv2dImpl::forward(x);
        QVERIFY(torch::equal(conv->forward(x), plain));
        conv->setRoute(ConvRoute::Winograd);
        const auto odd = torch::randn({2, 8, 18, 16});
        QVERIFY(torch::equal(conv->forward(odd), conv->torch::nn::Conv2dImpl::forward(odd)));
        QVERIFY(!torch::equal(conv->forward(x), plain)); // Winograd's own rounding
        QVERIFY(torch::allclose(conv->forward(x), plain, 1e-4, 1e-5));
    }

    // An encoder trains the same either way: ten Adam steps from the same start, losses
    // within float rounding of each other. The rotation model's (NCHW, 32 px: every 3x3
    // layer on Winograd's route) and the jigsaw model's on 18 px tiles (channels-last:
    // 9x9 direct, 4x4 Winograd's, the last stage's two layers dense).
    void encoderTrainsTheSameEitherWay_data() {
        QTest::addColumn<int>("side");
        QTest::addColumn<bool>("channelsLast");
        QTest::newRow("NCHW, 32 px") << 32 << false;
        QTest::newRow("channels-last, 18 px") << 18 << true;
    }

    void encoderTrainsTheSameEitherWay() {
        QFETCH(int, side);
        QFETCH(bool, channelsLast);
        auto losses = [&](bool winograd) {
            torch::manual_seed(21);
            EncoderOptions options;
            options.baseChannels = 8;
            options.channelsLast = channelsLast;
            Encoder encoder(options);
            torch::optim::Adam adam(encoder->parameters(), torch::optim::AdamOptions(1e-3));
            const auto x = torch::randn({8, 3, side, side});
            const auto plan = chooseRoutes(
                *encoder, [&](const torch::Tensor& input) { return encoder->forward(input); }, x,
                winograd ? RouteMode::Fast : RouteMode::LibTorch);
            if (winograd && plan.fastLayers() == 0) {
                throw std::runtime_error("no layer took the program's routes");
            }
            const int64_t mapSide = side / 8;
            const auto target = torch::randn({8, 32, mapSide, mapSide});
            std::vector<double> out;
            for (int step = 0; step < 10; ++step) {
                adam.zero_grad();
                const auto loss = torch::mse_loss(encoder->forward(x), target);
                loss.backward();
                adam.step();
                out.push_back(loss.item<double>());
            }
            return out;
        };
        const auto mine = losses(true);
        const auto theirs = losses(false);
        QVERIFY(mine.back() < mine.front()); // it learns
        for (size_t i = 0; i < mine.size(); ++i) {
            QVERIFY2(std::abs(mine[i] - theirs[i]) <= 1e-4 * theirs[i],
                     qPrintable(QStringLiteral("step %1: %2 against %3")
                                    .arg(i + 1)
                                    .arg(mine[i])
                                    .arg(theirs[i])));
        }
    }

    // bench --conv-rounds: the model step timed with the routes the run chose and with
    // LibTorch's, in one process, and the chosen routes set again afterwards; every mode
    // says in the report which layer took which route.
    void benchTimesBothRoutes() {
        BenchOptions o;
        o.task = "rotation";
        o.sizePx = 32; // 3x3 layers at 16, 8 and 4 px: all on Winograd's route
        o.batchSize = 2;
        o.steps = 1;
        o.warmupSteps = 1;
        o.convRounds = 2;
        o.convRoute = "fast";
        const BenchResult r = runBench(o);
        QCOMPARE(r.convRounds, int64_t{2});
        QVERIFY(r.convFastMs > 0 && r.convDirectMs > 0 && r.convRatio > 0);
        const QString text = QString::fromStdString(formatBench(o, r, nullptr));
        QVERIFY2(text.contains(QLatin1String("routes against LibTorch model step")),
                 qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("fast: 3 of 6 layers by the program's routes")),
                 qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("winograd")), qPrintable(text));
        QVERIFY(QString::fromStdString(benchJson(o, {r}, nullptr))
                    .contains(QLatin1String("\"conv_ratio\": ")));
        o.convRoute = "libtorch";
        o.convRounds = 0;
        const BenchResult direct = runBench(o);
        QCOMPARE(direct.convRounds, int64_t{0});
        QVERIFY2(QString::fromStdString(formatBench(o, direct, nullptr))
                     .contains(QLatin1String("libtorch: 0 of 6 layers")),
                 qPrintable(QString::fromStdString(direct.routeSummary)));
    }

    // Auto measures every layer the program's routes can take and keeps the faster per
    // layer, unless those winners together lose the whole step to LibTorch's route
    // everywhere; the choice can be given back (a resume) without measuring.
    void autoMeasuresEachLayer() {
        torch::manual_seed(5);
        EncoderOptions options;
        options.baseChannels = 8;
        Encoder encoder(options);
        const auto x = torch::randn({4, 3, 32, 32});
        auto forward = [&](const torch::Tensor& input) { return encoder->forward(input); };
        const auto plan = chooseRoutes(*encoder, forward, x, RouteMode::Auto, 1);
        QCOMPARE(static_cast<int>(plan.layers.size()), 6); // the encoder's six convolutions
        QVERIFY(plan.tuningMs > 0);
        int measured = 0, winners = 0;
        for (const auto& layer : plan.layers) {
            if (layer.timesMs.empty()) {
                QCOMPARE(layer.route, ConvRoute::LibTorch); // nothing else offered
                continue;
            }
            ++measured;
            const auto best =
                std::min_element(layer.timesMs.begin(), layer.timesMs.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
            winners += best->first != ConvRoute::LibTorch ? 1 : 0;
            QCOMPARE(layer.route, plan.fellBack ? ConvRoute::LibTorch : best->first);
        }
        QCOMPARE(measured, 3); // the 3x3 layers at 16, 8 and 4 px
        // With a winner of ours, the whole step was timed both ways and decided it.
        QCOMPARE(plan.stepMsChosen > 0 && plan.stepMsLibTorch > 0, winners > 0);
        if (winners > 0) {
            QCOMPARE(plan.fellBack, plan.stepMsChosen > 0.98 * plan.stepMsLibTorch);
            QCOMPARE(plan.fastLayers(), plan.fellBack ? 0 : winners);
        }
        // The same shapes again in this process: the same choice, from memory.
        Encoder twin(options);
        const auto second = chooseRoutes(
            *twin, [&](const torch::Tensor& input) { return twin->forward(input); }, x,
            RouteMode::Auto, 1);
        QCOMPARE(second.routes(), plan.routes());
        const auto routes = plan.routes();
        useLibTorchRoutes(*encoder);
        const auto again = applyRoutes(*encoder, routes, RouteMode::Auto);
        QCOMPARE(again.routes(), routes);
        // A route this build cannot run, or an unknown name, falls back to LibTorch's.
        const auto odd = applyRoutes(*encoder, {{"layers.3", "no-such-route"}}, RouteMode::Auto);
        QCOMPARE(odd.routes().at("layers.3"), std::string("libtorch"));
        QVERIFY(!odd.note.empty());
    }
};

QTEST_GUILESS_MAIN(TestWinograd)
#include "test_winograd.moc"
