#include "CurveMath.h"

#include <cmath>

namespace curves {

double Ema::add(double y) {
    if (!std::isfinite(y)) {
        return m_any ? m_last : y;
    }
    m_accum = m_weight * m_accum + (1.0 - m_weight) * y;
    m_debias *= m_weight;
    m_last = m_weight > 0.0 ? m_accum / (1.0 - m_debias) : y;
    m_any = true;
    return m_last;
}

void Ema::reset(double weight) {
    *this = Ema(weight);
}

QVector<double> smoothEma(const QVector<double>& y, double weight) {
    QVector<double> out;
    out.reserve(y.size());
    Ema ema(weight);
    for (double v : y) {
        out.push_back(ema.add(v));
    }
    return out;
}

namespace {
// Indices of the smallest and largest finite y in [lo, hi), or -1.
std::pair<int, int> minMaxIndex(const double* y, int lo, int hi) {
    int iMin = -1, iMax = -1;
    for (int i = lo; i < hi; ++i) {
        if (!std::isfinite(y[i])) {
            continue;
        }
        if (iMin < 0 || y[i] < y[iMin]) {
            iMin = i;
        }
        if (iMax < 0 || y[i] > y[iMax]) {
            iMax = i;
        }
    }
    return {iMin, iMax};
}

// Appends a bucket's minimum and maximum in the order they occur (one point when
// they are the same); nothing for a bucket without a finite value.
void keepExtremes(Decimated& d, const double* x, const double* y, int iMin, int iMax) {
    if (iMin < 0) {
        return;
    }
    const int first = std::min(iMin, iMax), second = std::max(iMin, iMax);
    d.x.push_back(x[first]);
    d.y.push_back(y[first]);
    if (second != first) {
        d.x.push_back(x[second]);
        d.y.push_back(y[second]);
    }
}
} // namespace

Decimated decimateMinMax(const double* x, const double* y, int begin, int end, int buckets) {
    Decimated d;
    const int n = end - begin;
    if (n <= 0) {
        return d;
    }
    if (buckets < 1 || n <= 2 * buckets) {
        d.x.reserve(n);
        d.y.reserve(n);
        for (int i = begin; i < end; ++i) {
            if (std::isfinite(y[i])) {
                d.x.push_back(x[i]);
                d.y.push_back(y[i]);
            }
        }
        return d;
    }
    d.x.reserve(2 * buckets);
    d.y.reserve(2 * buckets);
    for (int b = 0; b < buckets; ++b) {
        const int lo = begin + static_cast<int>(static_cast<long long>(n) * b / buckets);
        const int hi = begin + static_cast<int>(static_cast<long long>(n) * (b + 1) / buckets);
        const auto [iMin, iMax] = minMaxIndex(y, lo, hi);
        keepExtremes(d, x, y, iMin, iMax);
    }
    return d;
}

void MinMaxPyramid::clear() {
    m_min.clear();
    m_max.clear();
}

void MinMaxPyramid::consider(int level, int block, int index, const double* y) {
    auto& mins = m_min[level];
    auto& maxs = m_max[level];
    if (block == static_cast<int>(mins.size())) {
        mins.push_back(-1);
        maxs.push_back(-1);
    }
    if (index < 0 || !std::isfinite(y[index])) {
        return;
    }
    if (mins[block] < 0 || y[index] < y[mins[block]]) {
        mins[block] = index;
    }
    if (maxs[block] < 0 || y[index] > y[maxs[block]]) {
        maxs[block] = index;
    }
}

void MinMaxPyramid::rebuild(const QVector<double>& y) {
    clear();
    const int n = static_cast<int>(y.size());
    for (int level = 0; (2 << level) <= n; ++level) {
        m_min.emplace_back();
        m_max.emplace_back();
        const int blocks = (n + (2 << level) - 1) / (2 << level);
        m_min.back().reserve(blocks);
        m_max.back().reserve(blocks);
        for (int j = 0; j < blocks; ++j) {
            if (level == 0) {
                consider(0, j, 2 * j, y.constData());
                if (2 * j + 1 < n) {
                    consider(0, j, 2 * j + 1, y.constData());
                }
            } else {
                const int below = static_cast<int>(m_min[level - 1].size());
                for (const int half : {2 * j, 2 * j + 1}) {
                    if (half < below) {
                        consider(level, j, m_min[level - 1][half], y.constData());
                        consider(level, j, m_max[level - 1][half], y.constData());
                    }
                }
            }
        }
    }
}

void MinMaxPyramid::append(const QVector<double>& y) {
    const int n = static_cast<int>(y.size());
    if ((2 << levels()) <= n) {
        rebuild(y); // a new level: every 2^k points, so O(n) work amortizes to O(1)
        return;
    }
    const int i = n - 1;
    for (int level = 0; level < levels(); ++level) {
        consider(level, i >> (level + 1), i, y.constData());
    }
}

int MinMaxPyramid::extremeIndex(const QVector<double>& y, bool lowest) const {
    if (levels() == 0) {
        return bestIndex(y, lowest);
    }
    int best = -1;
    for (const int i : lowest ? m_min.back() : m_max.back()) { // at most two blocks
        if (i >= 0 && (best < 0 || (lowest ? y[i] < y[best] : y[i] > y[best]))) {
            best = i;
        }
    }
    return best;
}

Decimated MinMaxPyramid::decimate(const double* x, const double* y, int begin, int end,
                                  int buckets) const {
    const int n = end - begin;
    if (buckets < 1 || n <= 2 * buckets || levels() == 0) {
        return decimateMinMax(x, y, begin, end, buckets);
    }
    // The smallest block of at least n / buckets points that the pyramid holds.
    int level = 0;
    while (level + 1 < levels() && (2 << level) * static_cast<long long>(buckets) < n) {
        ++level;
    }
    const int size = 2 << level;
    Decimated d;
    d.x.reserve(2 * (n / size + 2));
    d.y.reserve(2 * (n / size + 2));
    auto scan = [&](int lo, int hi) { // a partial block, point by point
        const auto [iMin, iMax] = minMaxIndex(y, lo, hi);
        keepExtremes(d, x, y, iMin, iMax);
    };
    const int firstBlock = (begin + size - 1) / size, lastBlock = end / size; // [first, last)
    if (firstBlock >= lastBlock) {
        return decimateMinMax(x, y, begin, end, buckets);
    }
    scan(begin, firstBlock * size);
    const auto& mins = m_min[level];
    const auto& maxs = m_max[level];
    for (int j = firstBlock; j < lastBlock; ++j) {
        keepExtremes(d, x, y, mins[j], maxs[j]);
    }
    scan(lastBlock * size, end);
    return d;
}

bool lowerIsBetter(const QString& name) {
    return name.contains(QLatin1String("loss")) || name.contains(QLatin1String("error")) ||
           name.contains(QLatin1String("distance"));
}

int bestIndex(const QVector<double>& y, bool lowerIsBetter) {
    int best = -1;
    for (int i = 0; i < y.size(); ++i) {
        if (!std::isfinite(y[i])) {
            continue;
        }
        if (best < 0 || (lowerIsBetter ? y[i] < y[best] : y[i] > y[best])) {
            best = i;
        }
    }
    return best;
}

} // namespace curves
