#pragma once
// What the teaching and debugging views get from the engine thread, as plain Qt
// values: a batch's loss and its gradient checked against the seed's closed form, and
// the report of one step taken in step mode. No torch here: the UI includes this.
#include "SessionTypes.h"

#include <QImage>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace pretext {

// One output entry with both derivatives (x̂, x, autograd's and the closed form's).
struct GradientEntryView {
    QString where;
    double predicted = 0.0;
    double target = 0.0;
    double autograd = 0.0;
    double closedForm = 0.0;
};

struct InspectionView {
    QString task;
    // masked-mse, mse, soft-classes, classes, positions, binary; empty: nothing yet
    QString form;
    qint64 step = 0;
    double loss = 0.0;
    double count = 0.0;            // the closed form's normaliser: |M|, B·H·W·C, rows, pixels
    int rows = 0;                  // samples in the batch
    int sample = 0;                // the one shown
    double maxAbsDifference = 0.0; // max |autograd − closed form|
    double maxAbsGradient = 0.0;
    // Image forms: the task's result columns for the sample, and the heat map of
    // Σ_c |∂L/∂x̂| at their size (black: no gradient, bright: the largest).
    QStringList columnTitles;
    QList<QImage> columns;
    QImage heatMap;
    QList<GradientEntryView> entries;
    // Class forms: the sample's predicted distribution and its truth; p and −log p of
    // the truth for the sample and over the batch.
    QList<double> probabilities;
    QStringList labels;
    int trueClass = -1;
    QString truthCaption;
    double trueProbability = 0.0;
    double negLogTrue = 0.0;
    double meanTrueProbability = 0.0;
    double meanNegLogTrue = 0.0;
    bool isEmpty() const { return form.isEmpty(); }
    bool isImageForm() const { return !columns.isEmpty(); }
};

// One step in step mode: the batch's loss before and after its update (train mode,
// the same batch), the update's size, and the held-out samples before and after.
struct StepReport {
    qint64 step = 0;
    bool replay = false;        // the previous batch again
    double lossBefore = 0.0;    // the batch's loss as it was trained on
    double lossAfter = 0.0;     // the same batch right after the update
    double updateNorm = 0.0;    // ‖Δθ‖₂
    double parameterNorm = 0.0; // ‖θ‖₂ before the update
    ImageGrid before;
    ImageGrid after;
};

} // namespace pretext

Q_DECLARE_METATYPE(pretext::InspectionView)
Q_DECLARE_METATYPE(pretext::StepReport)
