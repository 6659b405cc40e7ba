#pragma once
// The embedding map of a run's encoder: held-out images (a labelled set's test images,
// or a folder of images) embedded at each encoder stage (eval mode, global average
// pooling) by the trained encoder and by the same architecture at its random
// initialisation; a 2-D map of one stage (PCA or t-SNE); each image's nearest neighbours
// at each stage. The `embed` command writes it (map.png, map.csv, features.pt); the
// window's Embedding view draws it. No torch types here: the window includes this.
#include "Cancel.h"

#include <QColor>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <limits>
#include <memory>

namespace pretext {

struct EmbedFeatures; // the images and features behind a map (EmbedRun.cpp)

struct EmbedRequest {
    QString runDir; // a run folder, or a checkpoint file (it carries its config)
    // Labelled images ('fashion-mnist', a folder of IDX files, a folder per class): their
    // test images, coloured by class. Anything else, a folder of images or image files:
    // coloured by `colourBy`.
    QString images = QStringLiteral("fashion-mnist");
    qint64 count = 2000;                     // images drawn (seeded)
    QString method = QStringLiteral("tsne"); // or "pca"
    int stage = 0;                           // 1-based; 0: the last
    double perplexity = 30.0;
    quint64 seed = 1;
    QString colourBy = QStringLiteral("brightness"); // or "saturation" (unlabelled images)
    QString device = QStringLiteral("auto");
    CancelToken cancel; // makes embedRun throw Cancelled within a fraction of a second
};

struct EmbedMap {
    QString run, task;
    qint64 step = 0;
    int sizePx = 64;
    QString source;    // what the images are, for a person
    QString method;    // "t-SNE (perplexity 30)", "PCA (41% of the variance)"
    QString methodKey; // "tsne" or "pca"
    int stage = 0;     // the stage mapped, 1-based
    int stages = 0;    // the encoder's stages
    QVector<int> dims; // features per stage
    QStringList names; // each image's file (or IDX-FILE#INDEX), in map order
    QList<QImage> thumbnails;
    QStringList classes; // empty when the images are unlabelled
    QVector<int> labels; // one class per image; empty when unlabelled
    QString colourBy;    // unlabelled: what `values` hold (in [0,1])
    QVector<double> values;
    QVector<QPointF> points; // the map, one point per image
    // How far apart the classes lie in the mapped stage's features (mean silhouette on
    // cosine geometry), trained and at random initialisation; NaN when unlabelled.
    double silhouette = std::numeric_limits<double>::quiet_NaN();
    double randomSilhouette = std::numeric_limits<double>::quiet_NaN();
    double featureSeconds = 0.0, mapSeconds = 0.0;
    QStringList skipped; // "path: reason" of images that could not be read
    std::shared_ptr<const EmbedFeatures> features;

    bool labelled() const { return !labels.isEmpty(); }
    bool isEmpty() const { return points.isEmpty(); }
};

// Throws std::runtime_error naming the run, the images or the problem, or Cancelled.
// `previous`: a map of the same images made before (an earlier checkpoint): its images
// are reused rather than read again, t-SNE continues from its points, and the new map is
// rotated, mirrored and scaled onto it, so that only what changed moves.
EmbedMap embedRun(const EmbedRequest& request, const EmbedMap* previous = nullptr);

struct Neighbour {
    int index = 0;
    double similarity = 0.0;
};

// The `k` images most similar to image `index` (cosine similarity of `stage`'s features,
// 1-based), by the trained encoder or by the random-init one; most similar first.
QVector<Neighbour> embedNeighbours(const EmbedMap& map, int index, int stage, bool randomInit,
                                   int k);

// The map written by the extension of `path` (EmbedOutput.cpp): .png (drawn, classes
// coloured, with a legend), .csv (x, y, class or value, name per image) or .pt (a
// dictionary Python's torch.load reads: "features" of the mapped stage (N,C),
// "stages" (each stage's), "names", "labels", "classes", "points", "task", "step").
// Throws std::runtime_error naming the file and the problem.
void writeEmbedding(const EmbedMap& map, const QString& path);

// The map drawn as `writeEmbedding` writes a .png.
QImage drawEmbedMap(const EmbedMap& map, const QSize& size);

// The colour of class `c` (ten distinct hues, then repeated lighter); of a value in
// [0,1] for unlabelled images (dark blue to yellow).
QColor classColour(int c);
QColor valueColour(double v);

} // namespace pretext
