// The curve panel's arithmetic on hand-made series (smoothing, min/max decimation,
// best values) and the plot's view rules (following, zoom, log scale, decimated draw).
#include "CurveMath.h"
#include "CurvePlot.h"
#include "RunHistory.h"

#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <array>
#include <cmath>
#include <numeric>
#include <random>

class TestCurves : public QObject {
    Q_OBJECT
private slots:
    void smoothingIsDebiasedEma() {
        // w = 0.5 on (0, 10): a = (0, 5), debiased by (1 - 0.5, 1 - 0.25).
        const auto s = curves::smoothEma({0.0, 10.0}, 0.5);
        QCOMPARE(s.size(), 2);
        QCOMPARE(s[0], 0.0);
        QVERIFY(std::abs(s[1] - 20.0 / 3.0) < 1e-12);
        // A constant series stays constant from its first point: no pull towards zero.
        for (double v : curves::smoothEma({3.0, 3.0, 3.0, 3.0}, 0.9)) {
            QVERIFY(std::abs(v - 3.0) < 1e-12);
        }
        // w = 0 is the series itself; a NaN repeats the previous smoothed value.
        const auto raw = curves::smoothEma({2.0, qQNaN(), 4.0}, 0.0);
        QCOMPARE(raw, (QVector<double>{2.0, 2.0, 4.0}));
        // The incremental form agrees with the batch one.
        curves::Ema ema(0.8);
        const QVector<double> y{1, 5, 2, 8, 3};
        const auto batch = curves::smoothEma(y, 0.8);
        for (int i = 0; i < y.size(); ++i) {
            QVERIFY(std::abs(ema.add(y[i]) - batch[i]) < 1e-12);
        }
    }

    void decimationKeepsEachBucketsMinAndMax() {
        const QVector<double> x{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        const QVector<double> y{5, 1, 7, 3, 9, 2, 8, 4, 6, 0};
        // Two buckets, [0, 5) and [5, 10): (1 at 1, 9 at 4) and (8 at 6, 0 at 9), in order.
        const auto d = curves::decimateMinMax(x.constData(), y.constData(), 0, 10, 2);
        QCOMPARE(d.x, (QVector<double>{1, 4, 6, 9}));
        QCOMPARE(d.y, (QVector<double>{1, 9, 8, 0}));
        // A range no longer than two points per bucket comes back whole (NaN dropped).
        QVector<double> withNan = y;
        withNan[2] = qQNaN();
        const auto whole = curves::decimateMinMax(x.constData(), withNan.constData(), 2, 8, 3);
        QCOMPARE(whole.x, (QVector<double>{3, 4, 5, 6, 7}));
        QCOMPARE(curves::bestIndex(y, true), 9);
        QCOMPARE(curves::bestIndex(y, false), 4);
        QCOMPARE(curves::bestIndex({qQNaN()}, true), -1);
    }

    void pyramidDecimationKeepsExtremesAndGrowsLikeItIsRebuilt() {
        // A noisy series with gaps (NaN), grown point by point and built at once.
        QVector<double> y;
        curves::MinMaxPyramid grown;
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (int i = 0; i < 20011; ++i) {
            y.push_back(i % 97 == 5 ? std::nan("") : std::sin(i * 0.01) + u(rng));
            grown.append(y);
        }
        curves::MinMaxPyramid built;
        built.rebuild(y);
        QCOMPARE(grown.levels(), built.levels());
        QVector<double> x(y.size());
        std::iota(x.begin(), x.end(), 1.0);
        for (const bool lowest : {true, false}) {
            QCOMPARE(built.extremeIndex(y, lowest), curves::bestIndex(y, lowest));
            QCOMPARE(grown.extremeIndex(y, lowest), curves::bestIndex(y, lowest));
        }
        const std::vector<std::array<int, 3>> cases = {
            {0, 20011, 800}, {137, 19999, 300}, {5000, 5100, 80}, {3, 12000, 1}};
        for (const auto& [begin, end, buckets] : cases) {
            const auto a = built.decimate(x.constData(), y.constData(), begin, end, buckets);
            const auto b = grown.decimate(x.constData(), y.constData(), begin, end, buckets);
            QCOMPARE(a.x, b.x);
            QCOMPARE(a.y, b.y);
            QVERIFY(a.x.size() <= 2 * buckets + 4 || end - begin <= 2 * buckets);
            for (int i = 1; i < a.x.size(); ++i) {
                QVERIFY(a.x[i] > a.x[i - 1]);
            }
            QVERIFY(a.x.front() >= x[begin] && a.x.back() <= x[end - 1]);
            // The range's extremes are drawn.
            double lo = qInf(), hi = -qInf();
            for (int i = begin; i < end; ++i) {
                if (std::isfinite(y[i])) {
                    lo = std::min(lo, y[i]);
                    hi = std::max(hi, y[i]);
                }
            }
            QCOMPARE(*std::min_element(a.y.cbegin(), a.y.cend()), lo);
            QCOMPARE(*std::max_element(a.y.cbegin(), a.y.cend()), hi);
            for (double v : a.y) {
                QVERIFY(std::isfinite(v));
            }
        }
    }

    void aMillionPointsDrawDecimatedAndTheBestSurvives() {
        CurvePlot plot("loss");
        plot.resize(800, 400);
        plot.show();
        const int n = 1'000'000;
        QVector<double> steps(n), wall(n), values(n);
        for (int i = 0; i < n; ++i) {
            steps[i] = i + 1;
            wall[i] = 0.01 * i;
            values[i] = 1.0 + 0.5 * std::sin(i * 0.001);
        }
        values[654321] = 0.125; // the best value, one point among a million
        plot.setSeries("run", steps, wall, values, Qt::blue);
        plot.setSmoothing(0.0);
        plot.redrawNow();
        QVERIFY2(plot.drawnPointCount() < 8 * plot.plot()->axisRect()->width(),
                 qPrintable(QString::number(plot.drawnPointCount())));
        bool bestDrawn = false;
        for (const auto& p : *plot.plot()->graph(0)->data()) {
            bestDrawn = bestDrawn || p.value == 0.125;
        }
        QVERIFY(bestDrawn);
        QVERIFY2(plot.bestText().contains("0.125") && plot.bestText().contains("654322"),
                 qPrintable(plot.bestText()));
    }

    void viewFollowsUntilTheUserZooms() {
        CurvePlot plot("loss");
        plot.resize(600, 300);
        plot.show();
        for (int i = 1; i <= 100; ++i) {
            plot.addPoint("loss", i, i * 0.1, 1.0 / i);
        }
        plot.redrawNow();
        QVERIFY(plot.isFollowing());
        QVERIFY(plot.plot()->xAxis->range().upper >= 100);
        plot.plot()->xAxis->setRange(10, 20); // as a box zoom does
        QVERIFY(!plot.isFollowing());
        for (int i = 101; i <= 200; ++i) {
            plot.addPoint("loss", i, i * 0.1, 1.0 / i);
        }
        plot.redrawNow();
        QCOMPARE(plot.plot()->xAxis->range().upper, 20.0);
        plot.resetView();
        QVERIFY(plot.isFollowing());
        QVERIFY(plot.plot()->xAxis->range().upper >= 200);
        // Wall time on x, log scale on y.
        plot.setWallTimeAxis(true);
        QVERIFY(plot.plot()->xAxis->range().upper >= 19.9 &&
                plot.plot()->xAxis->range().upper < 25);
        plot.setLogScale(true);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(plot.plot()->yAxis->range().lower > 0);
        QCOMPARE(plot.pointCount("loss"), 200);
    }

    void metricsFilesReadWithGapsAndACutOffRow() {
        QTemporaryDir dir;
        QFile f(dir.filePath("metrics.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("step,wall_time_s,loss,heldout_loss\n1,0.1,2.5,3.0\n2,0.2,2.0,\n3,0.3,1.5,2.0\n4,0."
                "4,1.");
        f.close();
        pretext::RunCurves c;
        QString error;
        QVERIFY(pretext::readRunCurves(f.fileName(), &c, &error));
        QCOMPARE(c.rows(), 3);
        QCOMPARE(c.loss, (QVector<double>{2.5, 2.0, 1.5}));
        QVERIFY(std::isnan(c.metrics["heldout_loss"][1]));
        QCOMPARE(c.metrics["heldout_loss"][2], 2.0);
    }
};

QTEST_MAIN(TestCurves)
#include "test_curves.moc"
