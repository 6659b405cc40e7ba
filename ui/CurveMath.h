#pragma once
// The arithmetic behind the curve panel, apart from any widget so it can be tested
// on hand-made series: debiased exponential smoothing and min/max decimation.
#include <QString>
#include <QVector>

#include <vector>

namespace curves {

// TensorBoard's smoothing: s_t = a_t / (1 - w^n), a_t = w·a_{t-1} + (1 - w)·y_t, with
// n the finite values seen so far. Dividing by (1 - w^n) removes the pull towards
// zero at the start. w = 0 returns the series itself; non-finite values are skipped
// (the previous smoothed value is repeated).
QVector<double> smoothEma(const QVector<double>& y, double weight);

// Incremental form of smoothEma for series that grow point by point.
class Ema {
public:
    explicit Ema(double weight = 0.0) : m_weight(weight) {}
    double add(double y);
    void reset(double weight);

private:
    double m_weight = 0.0;
    double m_accum = 0.0;
    double m_debias = 1.0; // w^n
    double m_last = 0.0;
    bool m_any = false;
};

struct Decimated {
    QVector<double> x;
    QVector<double> y;
};

// The points of x[begin, end) reduced for display to at most about 2·buckets: the
// range is cut into `buckets` runs of consecutive points, and each run keeps its
// minimum and its maximum (in their order), so no extreme, the best value included,
// ever disappears. Non-finite values are dropped. Short ranges come back whole.
Decimated decimateMinMax(const double* x, const double* y, int begin, int end, int buckets);

// Precomputed minima and maxima of a growing series over aligned blocks of 2, 4, 8...
// points, so that a curve of millions of points is reduced for display in time that
// grows with the plot's width, not with the points (each bucket is one block).
class MinMaxPyramid {
public:
    void clear();
    // From scratch over y (after a series is set or resmoothed).
    void rebuild(const QVector<double>& y);
    // After y gained one point at its end.
    void append(const QVector<double>& y);
    // As decimateMinMax, with buckets of a power of two points aligned to the blocks
    // (between `buckets`/2 and `buckets` of them); the partial blocks at both ends of
    // the range are scanned point by point.
    Decimated decimate(const double* x, const double* y, int begin, int end, int buckets) const;
    int levels() const { return static_cast<int>(m_min.size()); }
    // Index of the lowest (or highest) finite value of all of y, or -1: bestIndex()
    // without reading every point.
    int extremeIndex(const QVector<double>& y, bool lowest) const;

private:
    void consider(int level, int block, int index, const double* y);
    // m_min[k - 1][j], m_max[k - 1][j]: the index of the smallest and largest finite
    // value among points [j·2^k, (j+1)·2^k), or -1.
    std::vector<std::vector<int>> m_min, m_max;
};

// Whether a quantity improves downwards: losses, errors, distances (not accuracies).
bool lowerIsBetter(const QString& name);

// Index of the best finite value (lowest when lowerIsBetter), or -1.
int bestIndex(const QVector<double>& y, bool lowerIsBetter);

} // namespace curves
