#pragma once
// The gradient inspector: for the image tasks a heat map of ∂L/∂x̂ beside the
// prediction, for the classification tasks the predicted distribution of a chosen
// sample with its truth; in both, autograd's gradient checked against the closed form
// (max |difference|); and the gradient norm of every layer over training.
#include "InspectTypes.h"

#include <cmath>

#include <QTimer>
#include <QWidget>

class ImageGridView;
class QCustomPlot;
class QCPBars;
class QLabel;
class QSpinBox;
class QStackedWidget;

class GradientPanel : public QWidget {
    Q_OBJECT
public:
    explicit GradientPanel(QWidget* parent = nullptr);
    void showInspection(const pretext::InspectionView& inspection);
    // Appends the step's per-layer gradient norms to the plot.
    void showProgress(const pretext::TrainProgress& progress);
    // Empties the plot and the views (a new run).
    void clear();
    int sample() const;
    QCustomPlot* normPlot() const { return m_norms; }
    QCustomPlot* classPlot() const { return m_classes; }
    ImageGridView* imageView() const { return m_images; }
    QLabel* checkLabel() const { return m_check; }

Q_SIGNALS:
    void sampleChanged(int sample);

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void redrawNorms();
    void showClasses(const pretext::InspectionView& in);
    void restyle();

    QSpinBox* m_sample = nullptr;
    QLabel* m_check = nullptr;
    QLabel* m_caption = nullptr;
    QStackedWidget* m_stack = nullptr;
    ImageGridView* m_images = nullptr;
    QCustomPlot* m_classes = nullptr;
    QCPBars* m_bars = nullptr;
    QCPBars* m_truth = nullptr;
    QCustomPlot* m_norms = nullptr;
    QStringList m_layers;
    QTimer m_redraw;
    bool m_normsDirty = false;
    double m_low = INFINITY; // the smallest and largest norm plotted, for the log axis
    double m_high = 0.0;
    qint64 m_lastStep = 0;
};
