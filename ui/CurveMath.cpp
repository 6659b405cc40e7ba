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

void Ema::reset(double weight) { *this = Ema(weight); }

QVector<double> smoothEma(const QVector<double>& y, double weight) {
    QVector<double> out;
    out.reserve(y.size());
    Ema ema(weight);
    for (double v : y) {
        out.push_back(ema.add(v));
    }
    return out;
}

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
        if (iMin < 0) {
            continue;
        }
        const int first = iMin < iMax ? iMin : iMax, second = iMin < iMax ? iMax : iMin;
        d.x.push_back(x[first]);
        d.y.push_back(y[first]);
        if (second != first) {
            d.x.push_back(x[second]);
            d.y.push_back(y[second]);
        }
    }
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
