// Convolutions on tiny maps as one matrix product (engine/kernels/DenseConv.cpp) compute what
// LibTorch's conv2d does, output and all three gradients, in either memory layout; the
// route is taken only where it applies. The products shared out among LibTorch's
// threads (Gemm.h) equal torch::mm, whichever way they are split.
#include "ConvCheck.h"
#include "Gemm.h" // engine/kernels
#include "Layers.h"
#include "Threads.h"

#include <QtTest>
#include <torch/torch.h>

using namespace pretext;

using namespace convcheck;

class TestDenseConv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(2); }

    void matchesConv2d_data() {
        QTest::addColumn<int>("inChannels");
        QTest::addColumn<int>("outChannels");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<bool>("channelsLast");
        QTest::addColumn<bool>("bias");
        // The jigsaw encoder's last stage on 18 px tiles: 4x4 to 2x2 at stride 2, then
        // 3x3 on 2x2 (channels-last, as the model runs them), and the same in NCHW.
        QTest::newRow("3x3 on 2x2, 128 channels, NHWC")
            << 128 << 128 << 2 << 2 << 3 << 1 << true << true;
        QTest::newRow("4x4/2 from 4x4, 64 to 128, NHWC")
            << 64 << 128 << 4 << 4 << 4 << 2 << true << true;
        QTest::newRow("3x3 on 2x2, NCHW") << 24 << 40 << 2 << 2 << 3 << 1 << false << true;
        QTest::newRow("4x4/2 from 4x4, NCHW, no bias")
            << 16 << 8 << 4 << 4 << 4 << 2 << false << false;
        // A map of one pixel (only the centre tap meets it), a 2x1 map, odd channels.
        QTest::newRow("3x3 on 1x1") << 5 << 7 << 1 << 1 << 3 << 1 << true << true;
        QTest::newRow("3x3 on 2x1, no bias") << 3 << 9 << 2 << 1 << 3 << 1 << false << false;
    }

    void matchesConv2d() {
        QFETCH(int, inChannels);
        QFETCH(int, outChannels);
        QFETCH(int, side);
        QFETCH(int, width);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(bool, channelsLast);
        QFETCH(bool, bias);
        torch::manual_seed(5);
        RoutedConv2d conv(torch::nn::Conv2dOptions(inChannels, outChannels, kernel)
                              .stride(stride)
                              .padding(1)
                              .bias(bias));
        auto x = torch::randn({37, inChannels, side, width});
        if (channelsLast) {
            x = x.contiguous(at::MemoryFormat::ChannelsLast);
        }
        QVERIFY(offers(*conv, x, ConvRoute::Dense));
        QVERIFY(!offers(*conv, x, ConvRoute::Winograd));

        conv->setRoute(ConvRoute::Dense);
        const auto mine = outputAndGradients(
            *conv, x, [&](const torch::Tensor& input) { return conv->forward(input); });
        conv->setRoute(ConvRoute::LibTorch);
        const auto theirs = outputAndGradients(
            *conv, x, [&](const torch::Tensor& input) { return conv->forward(input); });
        QString errors;
        // Float rounding only (the same sums in another order); a tap in the wrong place
        // gives errors of order 1.
        const QString failure = compare(mine, theirs, 1e-5, errors);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        qInfo("relative error:%s", qPrintable(errors));
    }

    // The gradient arrives in the other layout than the output (as a following layer
    // may hand it back): still right.
    void gradientInTheOtherLayout() {
        torch::manual_seed(8);
        RoutedConv2d conv(torch::nn::Conv2dOptions(16, 16, 3).padding(1));
        const auto x = torch::randn({6, 16, 2, 2}).contiguous(at::MemoryFormat::ChannelsLast);
        const auto g = torch::randn({6, 16, 2, 2}); // NCHW
        auto input = x.clone().requires_grad_(true);
        conv->setRoute(ConvRoute::Dense);
        conv->forward(input).backward(g);
        const auto mine = input.grad().clone();
        const auto mineW = conv->weight.grad().clone();
        conv->zero_grad();
        conv->setRoute(ConvRoute::LibTorch);
        input = x.clone().requires_grad_(true);
        conv->forward(input).backward(g);
        QVERIFY(relativeError(mine, input.grad()) < 1e-5);
        QVERIFY(relativeError(mineW, conv->weight.grad()) < 1e-5);
    }

    void takenOnlyWhereItApplies() {
        RoutedConv2d conv(torch::nn::Conv2dOptions(8, 8, 3).padding(1));
        const auto x = torch::randn({2, 8, 2, 2});
        QVERIFY(offers(*conv, x, ConvRoute::Dense));
        QVERIFY(offers(*conv, torch::randn({2, 8, 3, 3}), ConvRoute::Dense)); // 9 positions, 9 taps
        QVERIFY(!offers(*conv, torch::randn({2, 8, 4, 4}),
                        ConvRoute::Dense)); // more positions than taps
        QVERIFY(!offers(*conv, x.to(torch::kDouble), ConvRoute::Dense));
        QVERIFY(!offers(*conv, x.transpose(2, 3), ConvRoute::Dense)); // neither layout
        RoutedConv2d dilated(torch::nn::Conv2dOptions(8, 8, 3).padding(1).dilation(2));
        QVERIFY(!offers(*dilated, x, ConvRoute::Dense));
        RoutedConv2d grouped(torch::nn::Conv2dOptions(8, 8, 3).padding(1).groups(2));
        QVERIFY(!offers(*grouped, x, ConvRoute::Dense));
        RoutedConv2d reflect(
            torch::nn::Conv2dOptions(8, 8, 3).padding(1).padding_mode(torch::kReflect));
        QVERIFY(!offers(*reflect, x, ConvRoute::Dense));
        RoutedConv2d unevenStride(torch::nn::Conv2dOptions(8, 8, 3).padding(1).stride({1, 2}));
        QVERIFY(!offers(*unevenStride, x, ConvRoute::Dense));
        RoutedConv2d same(torch::nn::Conv2dOptions(8, 8, 3).padding(torch::kSame));
        QVERIFY(!offers(*same, x, ConvRoute::Dense));
        // LibTorch's route is the module's own forward(), and a layer set to the dense
        // route meets an input it cannot take by LibTorch's: bit for bit both.
        const auto plain = conv->torch::nn::Conv2dImpl::forward(x);
        QVERIFY(torch::equal(conv->forward(x), plain));
        conv->setRoute(ConvRoute::Dense);
        const auto big = torch::randn({2, 8, 4, 4});
        QVERIFY(torch::equal(conv->forward(big), conv->torch::nn::Conv2dImpl::forward(big)));
    }

    void sharedProductsEqualMm_data() {
        QTest::addColumn<int>("m");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("n");
        QTest::addColumn<bool>("transposedA");
        QTest::addColumn<bool>("bias");
        QTest::newRow("rows shared") << 300 << 512 << 200 << false << false;
        QTest::newRow("columns shared, with bias") << 40 << 1152 << 517 << false << true;
        QTest::newRow("a transposed (a weight gradient)") << 512 << 288 << 512 << true << false;
        QTest::newRow("too small to share") << 3 << 4 << 5 << false << true;
    }

    void sharedProductsEqualMm() {
        QFETCH(int, m);
        QFETCH(int, k);
        QFETCH(int, n);
        QFETCH(bool, transposedA);
        QFETCH(bool, bias);
        torch::manual_seed(2);
        const auto a = transposedA ? torch::randn({k, m}).t() : torch::randn({m, k});
        const auto b = torch::randn({k, n});
        const auto c = torch::randn({n});
        const auto mine = bias ? parallelAddmm(c, a, b) : parallelMm(a, b);
        const auto theirs = bias ? torch::addmm(c, a, b) : torch::mm(a, b);
        QCOMPARE(mine.sizes(), theirs.sizes());
        QVERIFY(mine.is_contiguous());
        QVERIFY2(relativeError(mine, theirs) < 1e-6,
                 qPrintable(QString::number(relativeError(mine, theirs))));
    }

    // Inputs that need gradients (as inside an autograd function) are fine on every
    // thread: out= products refuse those unless grad mode is off there too.
    void sharedProductsTakeInputsThatNeedGradients() {
        const auto a = torch::randn({256, 256}, torch::requires_grad());
        const auto b = torch::randn({256, 256}, torch::requires_grad());
        QVERIFY(relativeError(parallelMm(a, b), torch::mm(a, b).detach()) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestDenseConv)
#include "test_dense_conv.moc"
