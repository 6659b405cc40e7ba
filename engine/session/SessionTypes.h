#pragma once
// Plain Qt value types that cross the engine thread boundary. No torch here:
// the UI includes this header.
#include "TaskCatalog.h"

#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace pretext {

// A set-level picture shown beside the sample columns (e.g. an ab histogram).
struct GridFigure {
    QString title;
    QImage image;
    QString caption;
};

// A table of images: titled columns, one row per sample.
struct ImageGrid {
    QStringList columnTitles;
    QList<QList<QImage>> rows; // rows[r][c]
    qint64 step = -1;          // training step it shows, -1 for a preview
    QString note;              // one line about the generated data, may be empty
    QString dataNote;          // what the task makes of the loaded set (images it skips)
    QList<GridFigure> figures; // set-level pictures, previews only
    bool isEmpty() const { return rows.isEmpty(); }
};

struct SkippedFile {
    QString path;
    QString reason;
};

struct DataSummary {
    QString label; // "demo set (seed 1)" or the folder/file names
    int count = 0;
    int sizePx = 0;
    QList<QImage> thumbnails; // first images, at training size
    QList<SkippedFile> skipped;
    QStringList notes; // how videos were sampled or cut short
    int videos = 0;    // videos loaded (the demo set has one procedural video)
    int videoFrames = 0;
    bool framesAreImages = false; // the images are the videos' frames (all, or a sample)
    int keptImages = 0;           // images (or frames) held decoded
    double cacheMb = 0.0;         // memory the cached images or frames take
    int budgetMb = 0;             // the video memory budget they were loaded under, 0: none
    QJsonObject description;      // where the data came from, as config.json records it
    // How training reads the images: "streamed: ..." or "cached: ..." for image files
    // (ImageFileSource::describe), "streamed: ..." for videos read clip by clip; empty
    // when they are one decoded tensor.
    QString pipeline;
    bool streamed = false; // decoded from the files as needed, never all in memory
};

struct TrainSettings {
    QString task = defaultTask(); // registry name (TaskCatalog.h)
    QVariantMap params;           // parameter name -> double
    int batchSize = 32;
    double learningRate = 2e-3;
    quint64 seed = 1;
    QString device = QStringLiteral("auto");
    // auto | libtorch | fast: how each convolution chooses its route (ConvRoutes.h).
    QString convRoute = QStringLiteral("auto");
    // layer -> route, as a run recorded them (config.json's conv_routes); when given, the
    // run takes them as they are instead of measuring (a resume stays on its routes).
    QVariantMap convRoutes;
    // auto | off | crop-flip | crop-flip-jitter (Augment.h). auto: crop and flip for
    // images and videos loaded from files, none for the built-in and IDX sets.
    QString augment = QStringLiteral("auto");
    // The live k-NN monitor: labelled images ("fashion-mnist", an IDX folder or a folder
    // per class) the encoder is judged on while it learns; empty: off. Every
    // `monitorEvery` steps; 0: as often as costs a twentieth of the training time.
    QString monitor;
    int monitorEvery = 0;
    int monitorStage = 0; // the encoder stage judged, 1-based; 0: the last
    // A state dict file (torch.save's format) the encoder starts from; empty: random init.
    QString initEncoder;
    int accumulate = 1; // batches per update (gradient accumulation)
    // A distributed run's BatchNorm layers normalise with the global batch's statistics.
    bool syncBatchNorm = false;
    QString channelsLast = QStringLiteral("auto"); // auto | on | off (TrainConfig::channelsLast)
    QString precision = QStringLiteral("fp32");    // fp32 | bf16 | fp16 | amp (Precision.h)
    qint64 maxSteps = 0;                           // 0: until stopped
    QString runDir;                                // empty: a new folder under the runs directory
    // Test switch: faults to inject (parseFaultInjection's "nan-loss@5,oom@9"); empty:
    // the PRETEXT_INJECT_FAULT environment variable, if set. Not part of a config.
    QString faults;
};

struct TrainProgress {
    qint64 step = 0;
    double loss = 0.0;
    double wallTimeS = 0.0;
    double imagesPerSec = 0.0;
    QVariantMap metrics;         // the batch's metrics, plus heldout_* when evaluated
    QList<double> histogram;     // from the held-out evaluation, when there was one
    QString histogramTitle;      // what is counted
    QString histogramAxis;       // what the bins are
    QStringList histogramLabels; // one per bin, or empty (numbered)
    QString note;                // something a person should know (the batch was halved)
    bool updateSkipped = false;  // note says that loss scaling skipped the step's update
    // Files skipped during this step (vanished, changed, unreadable), for the status bar,
    // and each as "path reason" for the Data panel's list.
    QString skippedNote;
    QStringList skippedFiles;
    // How the images are read, with live figures (image files only; else empty).
    QString pipeline;
    // A standing warning about the run (overfitting), shown until it no longer holds;
    // set at every evaluation while it holds, empty otherwise.
    QString warning;
    bool evaluated = false;    // this step ran the held-out evaluation
    bool checkpointed = false; // the run folder's checkpoint was written at this step
    // The k-NN monitor ran at this step (knn_accuracy, knn_random_init in metrics):
    // what one evaluation cost, in seconds; negative when it did not run.
    double knnSeconds = -1.0;
    // While the gradient view is on: ‖∂L/∂θ‖₂ per layer, layers named in layerNames.
    QList<double> layerNorms;
    QStringList layerNames;
};

enum class EngineState { Idle, Loading, Running, Paused };

QString formatSkipped(const QList<SkippedFile>& skipped, int maxLines = 20);
// Whether a path names a video file by its extension (avi, mp4, mkv, mov, mpg, ...).
bool isVideoPath(const QString& path);

} // namespace pretext

Q_DECLARE_METATYPE(pretext::ImageGrid)
Q_DECLARE_METATYPE(pretext::DataSummary)
Q_DECLARE_METATYPE(pretext::TrainSettings)
Q_DECLARE_METATYPE(pretext::TrainProgress)
Q_DECLARE_METATYPE(pretext::EngineState)
