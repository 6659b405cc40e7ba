#pragma once
#include <QList>
#include <QWidget>

class QCustomPlot;

// Bars of a histogram that is replaced as a whole (e.g. errors by Hamming distance).
class HistogramPlot : public QWidget {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);
    // `title` says what is counted (the y axis), `axis` what the bins are (the x axis).
    // `labels` name the bins (numbered from 0 when empty).
    void setHistogram(const QList<double>& counts, const QString& title, const QString& axis,
                      qint64 step, const QStringList& labels = {});
    void clear();
    QList<double> counts() const { return m_counts; }

protected:
    // Plots draw their own colours: they follow a change of palette (View ▸ Appearance).
    void changeEvent(QEvent* event) override;

private:
    QCustomPlot* m_plot = nullptr;
    class QCPBars* m_bars = nullptr;
    class QCPTextElement* m_title = nullptr;
    QList<double> m_counts;
};
